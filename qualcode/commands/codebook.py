"""``qualcode codebook import|export|show``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text
from rich.tree import Tree

from qualcode.codebook import (
    ApplyReport,
    apply_codebook,
    codebook_from_project,
    dump_codebook,
    load_codebook,
)
from qualcode.coding.code_entries import code_counts
from qualcode.coding.codes import code_paths
from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.errors import QualcodeError
from qualcode.store.db import Project

codebook_app = typer.Typer(
    help="Load, export and show the project's codebook.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(codebook_app, name="codebook")


@codebook_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A codebook: .yaml/.yml, or a REFI-QDA .qdc.")],
    unflatten: Annotated[
        bool,
        typer.Option(
            "--unflatten",
            help="(.qdc) Read code names like 'Coke::diet Coke' as a hierarchy (ATLAS.ti).",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Merge a codebook into the project. Codes are matched by path; none is deleted.

    A .qdc's sets become code groups (merged with groups of the same name).
    """
    project = project_from(ctx)
    if file.suffix.lower() == ".qdc":
        _import_qdc(project, file, actor=actor_from(ctx), unflatten=unflatten, json_out=json_out)
        return
    if unflatten:
        raise QualcodeError("--unflatten applies to REFI-QDA .qdc codebooks only")
    book = load_codebook(file)
    with project.write() as s:
        report = apply_codebook(s, book, actor=actor_from(ctx))
    if json_out:
        print_json(report.as_json())
        return
    _print_codes(book.name or file.name, report)


def _print_codes(name: str, report: ApplyReport) -> None:
    console.print(
        f"codebook {name}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged",
        markup=False,
    )
    for moved in report.keys_moved:
        console.print(f"  key moved {moved}", markup=False)


def _import_qdc(
    project: Project, file: Path, *, actor: str, unflatten: bool, json_out: bool
) -> None:
    """A REFI-QDA codebook: its codes merged by path, its sets kept as code groups."""
    from qualcode.interop.qdc import import_qdc

    report = import_qdc(project, file, actor=actor, unflatten=unflatten)
    if json_out:
        print_json(report.as_json())
        return
    _print_codes(file.name, report.codes)
    console.print(
        f"  code groups: {', '.join(report.groups) or 'none'} ({report.groups_added} added, "
        f"{report.group_members_added} member(s) added)",
        markup=False,
    )
    for note in report.notes:
        console.print(f"  note: {note}", markup=False)
    if report.not_imported:
        console.print("  not imported:")
        for what, n in sorted(report.not_imported.items()):
            console.print(f"    {n} {what}", markup=False)


@codebook_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Argument(help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """Write the project's codebook as YAML."""
    project = project_from(ctx)
    with project.session() as s:
        text = dump_codebook(codebook_from_project(s))
    if out is None:
        typer.echo(text, nl=False)
        return
    from qualcode.interop.atomic_file import write_atomically

    # every export goes through atomic_file: whole or not at all, and never onto a database
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomically(out.expanduser(), write)
    console.print(f"codebook written to {out}")


@codebook_app.command("show")
def show_cmd(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Show the code tree with keys and counts of codings."""
    project = project_from(ctx)
    with project.session() as s:
        book = codebook_from_project(s)
        paths = code_paths(s)
        counts = code_counts(s)
    by_path = {p: counts.get(cid, 0) for cid, p in paths.items()}
    if json_out:
        print_json(
            [
                {
                    "code": path,
                    "key": spec.key,
                    "colour": spec.colour,
                    "codings": by_path.get(path, 0),
                }
                for path, spec, _parent in book.walk()
            ]
        )
        return
    tree = Tree(Text.assemble((book.name or "codebook", "bold"), f" {book.version}"))
    nodes = {None: tree}
    for path, spec, parent in book.walk():
        key = (f" {spec.key} ", "reverse") if spec.key else ""
        label = Text.assemble(
            key,
            " " if key else "",
            ("■", spec.colour),
            f" {spec.name} ",
            (f"({by_path.get(path, 0)})", "dim"),
        )
        nodes[path] = nodes[parent].add(label)  # type: ignore[index]
    console.print(tree)
