"""``qualcode export xlsx``: the whole project as one Excel workbook, streamed in write-only mode
to a temporary file next to the target and renamed at the end, so a failed or interrupted export
never leaves a half-written workbook behind (see :mod:`qualcode.interop.atomic_file`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from openpyxl import Workbook

from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import (
    ExportResult,
    check_target,
    private_tempdir,
    replacing,
)
from qualcode.interop.tables_for_export import ExportFilters, Table, export_tables
from qualcode.interop.xlsx_format import new_workbook
from qualcode.interop.xlsx_sheets import sheet_title, write_table
from qualcode.store import Project


def write_workbook(tables: Iterable[Table], out: Path) -> dict[str, int]:
    """Write the tables, one sheet each, to ``out`` (atomically); return rows per sheet.
    openpyxl's temporary files (a sheet's rows until the workbook is saved) are kept in an
    owner-only folder beside ``out``, removed at the end and on SIGTERM or SIGHUP."""
    with private_tempdir(out):
        wb = new_workbook()
        sheets: dict[str, int] = {}
        try:
            for table in tables:
                sheets[sheet_title(table.title)] = write_table(wb, table)
        except BaseException:
            discard(wb)
            raise
        with replacing(out, ".xlsx.tmp") as tmp:
            wb.save(tmp)
    return sheets


def discard(wb: Workbook) -> None:
    """Close the sheets of a workbook that will not be saved and remove openpyxl's temporary
    files (a write-only sheet streams its rows to one)."""
    for ws in wb.worksheets:
        with suppress(Exception):
            if not ws.closed:
                ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with suppress(Exception):
                writer.cleanup()


def export_xlsx(
    project: Project, out: str | os.PathLike[str], filters: ExportFilters | None = None
) -> ExportResult:
    """The project as one workbook; see :mod:`qualcode.interop.tables_for_export` for what
    each sheet holds."""
    target = check_target(Path(out), ".xlsx")
    notes: dict[str, str] = {}
    try:
        sheets = write_workbook(export_tables(project, filters or ExportFilters(), notes), target)
    except PermissionError as exc:
        raise QualcodeError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ExportResult(target, sheets, notes)
