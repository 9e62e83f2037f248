"""``qualcode attributes import CSV``: participants and their attributes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.ingest.attributes import import_attributes

attributes_app = typer.Typer(help="Participants' attributes.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(attributes_app, name="attributes")


@attributes_app.command("import")
def import_cmd(
    ctx: typer.Context,
    csv_file: Annotated[Path, typer.Argument(help="CSV: a participant column, then attributes.")],
    json_out: JsonOpt = False,
) -> None:
    """Create or update participants and their attributes; link them to their documents."""
    project = project_from(ctx)
    report = import_attributes(project, csv_file, actor=actor_from(ctx))
    if json_out:
        print_json(report.as_json())
        return
    kinds = ", ".join(f"{n} ({k})" for n, k in report.attributes.items())
    console.print(
        f"{report.participants} participant(s), {len(report.created)} new; attributes: {kinds}; "
        f"{len(report.linked)} document link(s)"
    )
