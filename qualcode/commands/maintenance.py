"""``qualcode check`` (is the project consistent?) and ``qualcode copy SRC DEST``."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.commands.common import JsonOpt, console, err_console, print_json, project_from
from qualcode.errors import QualcodeError
from qualcode.store.check import check_project
from qualcode.store.copy import copy_project


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("copy")(copy)


def check(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Check the project: database integrity, spans inside their texts, no orphans,
    text hashes, no cycles in the codebook. Exits 2 when a problem is found."""
    project = project_from(ctx)
    problems = check_project(project)
    if json_out:
        print_json({"project": project.display_name, "ok": not problems, "problems": problems})
    elif not problems:
        console.print(f"{project.display_name}: consistent")
    if problems:
        if not json_out:
            for p in problems:
                err_console.print(f"  {p}", markup=False)
        raise QualcodeError(f"{len(problems)} problem(s) found in {project.display_name}")


def copy(
    src: Annotated[str, typer.Argument(help="The project to copy (file or URL).")],
    dest: Annotated[str, typer.Argument(help="A new, empty destination (file or URL).")],
    json_out: JsonOpt = False,
) -> None:
    """Copy a project exactly (e.g. SQLite to PostgreSQL), verified by counts and hashes."""

    def step(table: str, n: int) -> None:
        if not json_out:
            err_console.print(f"  {table}: {n} row(s)", markup=False)

    report = copy_project(src, dest, progress=step)
    if json_out:
        print_json(report.as_json())
        return
    total = sum(report.tables.values())
    console.print(
        f"copied {total} row(s) in {len(report.tables)} tables; counts and hashes verified"
    )
