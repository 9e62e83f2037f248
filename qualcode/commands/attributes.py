"""``qualcode attributes import CSV``, ``attributes set PARTICIPANT key=value...`` and
``attributes export FILE.csv``: participants and their attributes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.features import attribute_ranges
from qualcode.ingest.attributes import import_attributes, parse_assignments, set_attributes
from qualcode.interop.attributes_csv import export_attributes

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
    report = import_attributes(project, csv_file, actor=actor_from(ctx), ranges=attribute_ranges())
    if json_out:
        print_json(report.as_json())
        return
    kinds = ", ".join(f"{n} ({k})" for n, k in report.attributes.items())
    console.print(
        f"{report.participants} participant(s), {len(report.created)} new; attributes: {kinds}; "
        f"{len(report.linked)} document link(s)"
    )


@attributes_app.command("set")
def set_cmd(
    ctx: typer.Context,
    participant: Annotated[str, typer.Argument(help="The participant (created if new).")],
    values: Annotated[
        list[str],
        typer.Argument(help="key=value pairs; key= removes a value; years:number=6 sets a kind."),
    ],
    json_out: JsonOpt = False,
) -> None:
    """Set a participant's attributes by hand. A value must fit its attribute's kind."""
    pairs = parse_assignments(values)
    with project_from(ctx).write() as s:
        report = set_attributes(
            s, participant, pairs, actor=actor_from(ctx), ranges=attribute_ranges()
        )
    if json_out:
        print_json(report.as_json())
        return
    shown = ", ".join(f"{k}={v}" if v else f"{k} removed" for k, v in report.values.items())
    new = " (new participant)" if report.created else ""
    console.print(f"{report.participant}{new}: {shown or 'nothing to change'}")
    if report.linked:
        console.print(f"  linked to {', '.join(report.linked)}")


@attributes_app.command("export")
def export_cmd(
    ctx: typer.Context,
    csv_file: Annotated[Path, typer.Argument(help="The .csv file to write.")],
    json_out: JsonOpt = False,
) -> None:
    """Write every participant's attributes to a CSV that 'attributes import' reads back."""
    result = export_attributes(project_from(ctx), csv_file)
    if json_out:
        print_json(result.as_json())
        return
    rows = sum(result.sheets.values())
    console.print(f"wrote {rows} participant(s) to {result.path}")
