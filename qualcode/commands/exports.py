"""``qualcode export xlsx OUT.xlsx`` and ``qualcode export csv DIR``: the project's tables for
spreadsheets. Both commands join the ``export`` group of :mod:`qualcode.commands.refi`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualcode.commands.common import JsonOpt, coder_filter, console, print_json, project_from
from qualcode.commands.refi import export_app

if TYPE_CHECKING:  # imported when a command runs: pandas and openpyxl are slow to load
    from qualcode.interop.atomic_file import ExportResult
    from qualcode.interop.tables_for_export import ExportFilters

CodersOpt = Annotated[
    str | None, typer.Option("--coder", help="Only this coder's codings (agreement left out).")
]
CodesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--codes",
        help="Only these codes and their sub-codes: paths, names or keys, repeated or "
        "comma-separated.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add xlsx and csv to the ``export`` group (which :mod:`qualcode.commands.refi` adds)."""
    export_app.command("xlsx")(export_xlsx_cmd)
    export_app.command("csv")(export_csv_cmd)


def _filters(ctx: typer.Context, coder: str | None, codes: list[str] | None) -> ExportFilters:
    from qualcode.interop.tables_for_export import ExportFilters

    # QUALCODE_CODER (who is coding) never filters an export by itself
    explicit = coder.strip() if coder else coder_filter(ctx)
    return ExportFilters(coder=explicit or None, codes=tuple(codes or ()))


def export_xlsx_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
    coder: CodersOpt = None,
    codes: CodesOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write an Excel workbook: overview, frequencies, matrix, co-occurrence, coded segments,
    caseload shares, agreement and codebook, with charts."""
    from qualcode.interop.xlsx_workbook import export_xlsx

    result = export_xlsx(project_from(ctx), out, _filters(ctx, coder, codes))
    _report(result, "workbook", "sheets", json_out)


def export_csv_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="The folder to write the CSV files in.")],
    coder: CodersOpt = None,
    codes: CodesOpt = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start files with a UTF-8 byte-order mark (for Excel).")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Write the same tables as UTF-8 CSV files, one per sheet."""
    from qualcode.interop.csv_export import export_csv

    result = export_csv(project_from(ctx), directory, _filters(ctx, coder, codes), bom=bom)
    _report(result, "CSV files", "files", json_out)


def _report(result: ExportResult, what: str, parts: str, json_out: bool) -> None:
    if json_out:
        print_json(result.as_json())
        return
    console.print(f"{what} written to {result.path}: {len(result.sheets)} {parts}")
    for name, rows in result.sheets.items():
        console.print(f"  {name}: {rows:,} row(s)")
    console.print(f"agreement: {result.notes.get('agreement', '')}")
