"""``qualcode export xlsx``: the whole project as one Excel workbook, streamed in write-only mode
to a temporary file next to the target and renamed at the end, so a failed or interrupted export
never leaves a half-written workbook behind."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from qualcode.errors import QualcodeError
from qualcode.interop.tables_for_export import ExportFilters, Table, export_tables
from qualcode.interop.xlsx_format import new_workbook
from qualcode.interop.xlsx_sheets import sheet_title, write_table
from qualcode.store import Project


@dataclass
class ExportResult:
    path: Path
    sheets: dict[str, int] = field(default_factory=dict)  # name -> data rows (or CSV file name)
    notes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "sheets": self.sheets, "notes": self.notes}


def temp_beside(target: Path, suffix: str = ".tmp") -> Path:
    """A new hidden file name in ``target``'s folder (made with the usual permissions when
    written, unlike ``mkstemp``'s private ones)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}{suffix}")


@contextmanager
def replacing(target: Path, suffix: str) -> Iterator[Path]:
    """A temporary path beside ``target``, moved over it when the block succeeds and removed
    when it fails (also on Ctrl-C)."""
    tmp = temp_beside(target, suffix)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def check_target(out: Path, suffix: str) -> Path:
    out = out.expanduser()
    if out.suffix.lower() != suffix:
        raise QualcodeError(f"{out}: the file name must end in {suffix}")
    if out.is_dir():
        raise QualcodeError(f"{out} is a folder; give a file name ending in {suffix}")
    if not out.parent.is_dir():
        raise QualcodeError(f"{out.parent}: no such folder")
    return out


def write_workbook(tables: Iterable[Table], out: Path) -> dict[str, int]:
    """Write the tables, one sheet each, to ``out`` (atomically); return rows per sheet."""
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
