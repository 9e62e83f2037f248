"""``qualcode export xlsx OUT.xlsx`` and ``qualcode export csv DIR``: the project's tables for
spreadsheets. Both commands join the ``export`` group of :mod:`qualcode.commands.refi`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualcode.commands.common import JsonOpt, coder_filter, console, print_json, project_from
from qualcode.commands.pseudonyms import (
    GeneraliseOpt,
    KOpt,
    PseudonymisedOpt,
    QuasiOpt,
    share_export,
)
from qualcode.commands.refi import export_app
from qualcode.store.db import Project

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

OnlyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        help="Only these tables, by key (the CSV file names: coded_segments, codebook...), "
        "repeated or comma-separated.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add xlsx and csv to the ``export`` group (which :mod:`qualcode.commands.refi` adds)."""
    export_app.command("xlsx")(export_xlsx_cmd)
    export_app.command("csv")(export_csv_cmd)


def _filters(
    ctx: typer.Context, coder: str | None, codes: list[str] | None, only: list[str] | None
) -> ExportFilters:
    from qualcode.interop.tables_for_export import ExportFilters

    # QUALCODE_CODER (who is coding) never filters an export by itself
    explicit = coder_filter(ctx, coder)
    return ExportFilters(coder=explicit or None, codes=tuple(codes or ()), tables=tuple(only or ()))


def export_xlsx_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
    coder: CodersOpt = None,
    codes: CodesOpt = None,
    only: OnlyOpt = None,
    pseudonymised: PseudonymisedOpt = False,
    generalise: GeneraliseOpt = None,
    quasi: QuasiOpt = None,
    k: KOpt = 3,
    json_out: JsonOpt = False,
) -> None:
    """Write an Excel workbook: overview, frequencies, matrix, co-occurrence, coded segments,
    caseload shares, agreement and codebook, with charts. With --pseudonymised, a share
    package: see 'qualcode pseudonyms'."""
    from qualcode.interop.xlsx_workbook import export_xlsx

    filters = _filters(ctx, coder, codes, only)

    def write(project: Project, target: Path) -> ExportResult:
        return export_xlsx(project, target, filters)

    if pseudonymised:
        result = share_export(ctx, out, write, generalise=generalise, quasi=quasi, k=k).result
        result.path = out
    else:
        result = write(project_from(ctx), out)
    _report(result, "workbook", "sheets", json_out)


def export_csv_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="The folder to write the CSV files in.")],
    coder: CodersOpt = None,
    codes: CodesOpt = None,
    only: OnlyOpt = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start files with a UTF-8 byte-order mark (for Excel).")
    ] = False,
    pseudonymised: PseudonymisedOpt = False,
    generalise: GeneraliseOpt = None,
    quasi: QuasiOpt = None,
    k: KOpt = 3,
    json_out: JsonOpt = False,
) -> None:
    """Write the same tables as UTF-8 CSV files, one per sheet. With --pseudonymised, a share
    package (README.md in the folder): see 'qualcode pseudonyms'."""
    from qualcode.interop.csv_export import export_csv

    filters = _filters(ctx, coder, codes, only)

    def write(project: Project, target: Path) -> ExportResult:
        return export_csv(project, target, filters, bom=bom)

    if pseudonymised:
        package = share_export(
            ctx, directory, write, folder=True, generalise=generalise, quasi=quasi, k=k
        )
        result = package.result
        result.path = directory
    else:
        result = write(project_from(ctx), directory)
    _report(result, "CSV files", "files", json_out)


def _report(result: ExportResult, what: str, parts: str, json_out: bool) -> None:
    if json_out:
        print_json(result.as_json())
        return
    console.print(f"{what} written to {result.path}: {len(result.sheets)} {parts}")
    for name, rows in result.sheets.items():
        console.print(f"  {name}: {rows:,} row(s)")
    console.print(f"agreement: {result.notes.get('agreement', '')}")
