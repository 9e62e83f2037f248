"""``qualcode codes add|rename|move|colour|key|define|merge|delete``: edit codes in place."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.codebook import edit
from qualcode.coding.codes import code_path
from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.errors import QualcodeError

codes_app = typer.Typer(
    help="Edit codes: add, rename, move, recolour, key, define, merge, delete.",
    no_args_is_help=True,
)

CodeArg = Annotated[str, typer.Argument(help="The code: path (A/B), name, or key.")]


def register(app: typer.Typer) -> None:
    app.add_typer(codes_app, name="codes")


@codes_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new code's name.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Put it under this code.")] = None,
    colour: Annotated[str | None, typer.Option("--colour", "--color", help="#rrggbb.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="A one-key shortcut.")] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Add a code (at the top level, or under --parent)."""
    with project_from(ctx).write() as s:
        code = edit.add_code(
            s,
            name,
            parent=parent,
            colour=colour,
            key=key,
            description=description,
            actor=actor_from(ctx),
        )
        out = {"id": code.id, "code": code_path(s, code)}
    if json_out:
        print_json(out)
    else:
        console.print(f"code added: {out['code']}")


@codes_app.command("rename")
def rename_cmd(
    ctx: typer.Context,
    code: CodeArg,
    new_name: Annotated[str, typer.Argument(help="The new name (not a path).")],
) -> None:
    """Rename a code; its place in the tree stays."""
    with project_from(ctx).write() as s:
        path = code_path(s, edit.rename_code(s, code, new_name, actor=actor_from(ctx)))
    console.print(f"renamed: {path}")


@codes_app.command("move")
def move_cmd(
    ctx: typer.Context,
    code: CodeArg,
    parent: Annotated[str | None, typer.Argument(help="The new parent code.")] = None,
    top: Annotated[bool, typer.Option("--top", help="Move to the top level.")] = False,
) -> None:
    """Move a code (with its sub-codes) under another code, or to the top with --top."""
    if (parent is None) == (not top):
        raise QualcodeError("give the new parent code, or --top (not both)")
    with project_from(ctx).write() as s:
        path = code_path(s, edit.move_code(s, code, parent, actor=actor_from(ctx)))
    console.print(f"moved: {path}")


@codes_app.command("colour")
def colour_cmd(
    ctx: typer.Context,
    code: CodeArg,
    colour: Annotated[str, typer.Argument(help="#rrggbb (or rrggbb, #rgb).")],
) -> None:
    """Recolour a code."""
    with project_from(ctx).write() as s:
        c = edit.recolour_code(s, code, colour, actor=actor_from(ctx))
        path, value = code_path(s, c), c.colour
    console.print(f"{path}: colour {value}")


@codes_app.command("key")
def key_cmd(
    ctx: typer.Context,
    code: CodeArg,
    key: Annotated[str | None, typer.Argument(help="One lower-case letter or digit.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the code's key.")] = False,
) -> None:
    """Set a code's one-key shortcut for the coding screen, or --clear it."""
    if (key is None) == (not clear):
        raise QualcodeError("give a key, or --clear (not both)")
    with project_from(ctx).write() as s:
        c = edit.set_key(s, code, None if clear else key, actor=actor_from(ctx))
        path, value = code_path(s, c), c.key
    console.print(f"{path}: key {value}" if value else f"{path}: no key")


@codes_app.command("define")
def define_cmd(
    ctx: typer.Context,
    code: CodeArg,
    description: Annotated[str | None, typer.Option("--description")] = None,
    inclusion: Annotated[str | None, typer.Option("--inclusion", help="When to use it.")] = None,
    exclusion: Annotated[str | None, typer.Option("--exclusion", help="When not to.")] = None,
    example: Annotated[str | None, typer.Option("--example")] = None,
) -> None:
    """Set a code's definitions; the ones not given are kept ("" clears one)."""
    if all(v is None for v in (description, inclusion, exclusion, example)):
        raise QualcodeError("give --description, --inclusion, --exclusion or --example")
    with project_from(ctx).write() as s:
        c = edit.define_code(
            s,
            code,
            description=description,
            inclusion=inclusion,
            exclusion=exclusion,
            example=example,
            actor=actor_from(ctx),
        )
        path = code_path(s, c)
    console.print(f"{path}: definitions saved")


@codes_app.command("merge")
def merge_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The code that goes away.")],
    target: Annotated[str, typer.Argument(help="The code that receives its codings.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Say what would move; change nothing.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Merge SOURCE into TARGET: codings, sub-codes and memos move; SOURCE is deleted."""
    project = project_from(ctx)
    if dry_run:
        with project.session() as s:
            report = edit.plan_merge(s, source, target)
    else:
        with project.write() as s:
            report = edit.merge_codes(s, source, target, actor=actor_from(ctx))
    if json_out:
        print_json({"dry_run": dry_run, **report.as_json()})
        return
    console.print(("would merge: " if dry_run else "merged: ") + report.summary(done=not dry_run))


@codes_app.command("delete")
def delete_cmd(ctx: typer.Context, code: CodeArg) -> None:
    """Delete a code that has no codings and no sub-codes (merge it otherwise)."""
    with project_from(ctx).write() as s:
        path = edit.delete_code(s, code, actor=actor_from(ctx))
    console.print(f"deleted: {path}")
