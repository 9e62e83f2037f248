"""``qualcode codebook import|export|show``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, codebook_from_project, dump_codebook, load_codebook
from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.errors import QualcodeError
from qualcode.store.models import Coding

codebook_app = typer.Typer(
    help="Load, export and show the project's codebook.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(codebook_app, name="codebook")


@codebook_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A codebook: .yaml/.yml, or a REFI-QDA .qdc.")],
    json_out: JsonOpt = False,
) -> None:
    """Merge a codebook into the project. Codes are matched by path; none is deleted."""
    project = project_from(ctx)
    if file.suffix.lower() == ".qdc":
        try:
            from qualcode.interop.qdc import load_qdc
        except ImportError:
            raise QualcodeError("reading .qdc codebooks is not available yet") from None
        book = load_qdc(file)
    else:
        book = load_codebook(file)
    with project.write() as s:
        report = apply_codebook(s, book, actor=actor_from(ctx))
    if json_out:
        print_json(report.as_json())
        return
    console.print(
        f"codebook {book.name or file.name}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged"
    )
    for moved in report.keys_moved:
        console.print(f"  key moved {moved}")


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
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    console.print(f"codebook written to {out}")


@codebook_app.command("show")
def show_cmd(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Show the code tree with keys and counts of codings."""
    project = project_from(ctx)
    with project.session() as s:
        book = codebook_from_project(s)
        from qualcode.coding.codes import code_paths

        paths = code_paths(s)
        counts = dict(
            s.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id)).all()
        )
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
    tree = Tree(f"[bold]{book.name or 'codebook'}[/] {book.version}")
    nodes = {None: tree}
    for path, spec, parent in book.walk():
        key = f"[reverse] {spec.key} [/] " if spec.key else ""
        label = f"{key}[{spec.colour}]■[/] {spec.name} [dim]({by_path.get(path, 0)})[/]"
        nodes[path] = nodes[parent].add(label)  # type: ignore[index]
    console.print(tree)
