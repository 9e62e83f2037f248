"""``qualcode export csv DIR``: the workbook's tables as UTF-8 CSV files, one per sheet, with a
header row of snake_case column names.

Text that could start a formula is neutralised as in the workbook (:mod:`safe_cells`); numbers
stay numbers (percentages as the tables hold them: see ``percent`` and ``fraction`` in
:mod:`qualcode.interop.tables_for_export`). Every file is written to a temporary name in DIR and
all are renamed only when every table is written, so an error never leaves a mix of old and new
files behind; the temporary files are owner-only and removed on SIGTERM and SIGHUP too
(:mod:`qualcode.interop.atomic_file`).
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from contextlib import ExitStack
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import (
    ExportResult,
    current_umask,
    make_folder,
    private_file,
    removed_on_signal,
    temp_beside,
)
from qualcode.interop.safe_cells import csv_value
from qualcode.interop.tables_for_export import ExportFilters, Table, export_tables
from qualcode.store import Project

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: Names Windows refuses for a file, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
MAX_STEM = 100


def safe_filename(stem: str, suffix: str = ".csv") -> str:
    """A portable file name: ASCII letters, digits, ``.``, ``_`` and ``-`` only, no leading dot,
    not a Windows device name, at most 100 characters before the suffix."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    clean = UNSAFE.sub("_", ascii_stem).strip("._-")[:MAX_STEM].rstrip("._-") or "table"
    if clean.lower().split(".")[0] in RESERVED:
        clean = f"{clean}_"
    return clean + suffix


def write_csv(table: Table, path: Path, *, bom: bool = False) -> int:
    """Write one table; return its data rows."""
    n = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([csv_value(c.name) for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_value(v) for v in row])
            n += 1
    return n


def export_csv(
    project: Project,
    directory: str | os.PathLike[str],
    filters: ExportFilters | None = None,
    *,
    bom: bool = False,
) -> ExportResult:
    """Write every table to ``directory`` (made if missing); ``bom`` starts each file with a
    UTF-8 byte-order mark, which Excel needs to read UTF-8 CSV on double-click."""
    folder = Path(directory).expanduser()
    if folder.exists() and not folder.is_dir():
        raise QualcodeError(f"{folder} is a file; give a folder for the CSV files")
    notes: dict[str, str] = {}
    written: list[tuple[Path, Path]] = []
    files: dict[str, int] = {}
    with ExitStack() as pending:
        try:
            for table in export_tables(project, filters or ExportFilters(), notes):
                if not written:  # the filters are checked before the first table
                    make_folder(folder)
                name = safe_filename(table.key)
                tmp = pending.enter_context(removed_on_signal(temp_beside(folder / name)))
                written.append((tmp, folder / name))
                private_file(tmp)
                files[name] = write_csv(table, tmp, bom=bom)
            mode = 0o666 & ~current_umask()
            for tmp_path, final in written:
                tmp_path.chmod(mode)
                os.replace(tmp_path, final)
        except PermissionError as exc:
            raise QualcodeError(f"cannot write in {folder}: {exc.strerror or exc}") from None
        finally:
            for tmp_path, _final in written:
                tmp_path.unlink(missing_ok=True)
    return ExportResult(folder, files, notes)
