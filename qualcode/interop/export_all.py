"""Every export the workbench offers behind one call: :func:`run_export` writes an Excel
workbook, a folder of CSV files, a REFI-QDA project (.qdpx) or a REFI-QDA codebook (.qdc) with
the same functions as ``qualcode export xlsx|csv|qdpx|qdc``, reporting its stages to a callback.

The export functions take no progress callback, so progress is reported per stage: preparing
the target (the folder is made when missing), writing, measuring what was written. Folders made
here are removed again when the export fails, so a failed export leaves nothing behind.

No Textual here: the TUI calls :func:`run_export` in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from qualcode.errors import QualcodeError
from qualcode.store import Project
from qualcode.store.settings import project_name

#: the folder exports go to by default, relative to the current directory
EXPORTS_FOLDER = Path("exports")
STEPS = 3


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    #: ``.xlsx``; empty for a folder of files
    suffix: str
    #: "only my codings" applies (the tables exports); the REFI-QDA files hold everything
    filters_coder: bool

    @property
    def is_folder(self) -> bool:
        return not self.suffix


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("xlsx", "Excel workbook (.xlsx)", ".xlsx", True),
    ExportFormat("csv", "CSV files (a folder)", "", True),
    ExportFormat("qdpx", "REFI-QDA project (.qdpx)", ".qdpx", False),
    ExportFormat("qdc", "REFI-QDA codebook (.qdc)", ".qdc", False),
)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}


@dataclass(frozen=True)
class ExportProgress:
    """Stage ``step`` of ``total`` has started."""

    step: int
    total: int
    stage: str


@dataclass(frozen=True)
class ExportDone:
    format: ExportFormat
    path: Path  # absolute
    size: int  # bytes; a folder: the files written in it
    summary: str  # what was written, e.g. "11 sheets"


ProgressCallback = Callable[[ExportProgress], None]


def slug(name: str, fallback: str = "project") -> str:
    """``Social work caseloads (pilot)`` -> ``social-work-caseloads-pilot``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    clean = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")
    return clean or fallback


def project_label(project: Project) -> str:
    """The project's name (its ``project_name`` setting), else its file or database name."""
    with project.session() as s:
        name = (project_name(s) or "").strip()
    if name:
        return name
    if project.path is not None:
        return project.path.name.split(".")[0]
    return make_url(project.url).database or "project"


def default_output(
    name: str, fmt: ExportFormat, today: dt.date | None = None, folder: Path = EXPORTS_FOLDER
) -> Path:
    """``exports/<name>-<date>.<ext>`` (a folder without extension for CSV)."""
    day = (today or dt.date.today()).isoformat()
    return folder / f"{slug(name)}-{day}{fmt.suffix}"


def with_format(path: str, fmt: ExportFormat) -> str:
    """The path with its extension changed to the format's (a known export extension is
    replaced, none is added to a folder)."""
    if not path.strip():
        return path
    p = Path(path)
    known = {f.suffix for f in FORMATS if f.suffix}
    stem = p.with_suffix("") if p.suffix.lower() in known else p
    return str(stem) + fmt.suffix


def human_size(size: int) -> str:
    """``532 bytes``, ``12.4 KB``, ``3.1 MB``."""
    if size < 1024:
        return f"{size:,} bytes"
    value = size / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    return f"{value:.1f} {unit}"


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and missing parents; return the folders made, innermost last."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_empty(missing)
        raise QualcodeError(f"cannot make folder {folder}: {exc.strerror or exc}") from None
    return list(reversed(missing))


def _remove_empty(folders: list[Path]) -> None:
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with suppress(OSError):
            folder.rmdir()


def target_path(out: str | os.PathLike[str], fmt: ExportFormat) -> Path:
    """The absolute target, checked: a file format needs its extension, a folder a name."""
    text = os.fspath(out).strip()
    if not text:
        raise QualcodeError("give a file name to export to")
    path = Path(text).expanduser().absolute()
    if fmt.is_folder:
        if path.exists() and not path.is_dir():
            raise QualcodeError(f"{path} is a file; give a folder for the CSV files")
    elif path.suffix.lower() != fmt.suffix:
        raise QualcodeError(f"{path.name}: the file name must end in {fmt.suffix}")
    elif path.is_dir():
        raise QualcodeError(f"{path} is a folder; give a file name ending in {fmt.suffix}")
    return path


def run_export(
    project: Project,
    format_key: str,
    out: str | os.PathLike[str],
    *,
    coder: str | None = None,
    progress: ProgressCallback | None = None,
) -> ExportDone:
    """Write the export; ``coder`` keeps only that coder's codings (Excel and CSV).

    Raises :class:`QualcodeError` with a one-line reason; nothing is left behind then.
    """
    fmt = FORMAT_BY_KEY.get(format_key)
    if fmt is None:
        raise QualcodeError(f"unknown export format {format_key!r}")

    def report(step: int, stage: str) -> None:
        if progress is not None:
            progress(ExportProgress(step, STEPS, stage))

    path = target_path(out, fmt)
    report(0, f"preparing {path.parent}")
    made = _make_folders(path.parent)
    existed = path.exists()
    try:
        report(1, f"writing the {fmt.label.split(' (')[0]}…")
        summary, files = _write(project, fmt, path, coder if fmt.filters_coder else None)
        report(2, "measuring what was written")
        size = sum(f.stat().st_size for f in files)
    except QualcodeError:
        _undo(path, fmt, existed, made)
        raise
    except OSError as exc:
        _undo(path, fmt, existed, made)
        raise QualcodeError(f"cannot write {path}: {exc.strerror or exc}") from None
    report(3, "done")
    return ExportDone(fmt, path, size, summary)


def _undo(path: Path, fmt: ExportFormat, existed: bool, made: list[Path]) -> None:
    if fmt.is_folder and not existed:
        made = [*made, path]
    _remove_empty(made)


def _write(
    project: Project, fmt: ExportFormat, path: Path, coder: str | None
) -> tuple[str, list[Path]]:
    """Write with the CLI's export function; return what was written and the files."""
    if fmt.key in ("xlsx", "csv"):
        from qualcode.interop.tables_for_export import ExportFilters

        filters = ExportFilters(coder=coder)
        if fmt.key == "xlsx":
            from qualcode.interop.xlsx_workbook import export_xlsx

            sheets = export_xlsx(project, path, filters).sheets
            return f"{len(sheets)} sheets", [path]
        from qualcode.interop.csv_export import export_csv

        files = export_csv(project, path, filters).sheets
        return f"{len(files)} CSV files", [path / name for name in files]
    if fmt.key == "qdpx":
        from qualcode.interop.refi.qdpx_export import export_qdpx

        r = export_qdpx(project, path)
        return (
            f"{r.documents} document(s), {r.codes} code(s), {r.codings} coding(s) by "
            f"{r.coders} coder(s), {r.memos} memo(s)"
        ), [path]
    from qualcode.interop.refi.qdc import export_qdc

    result = export_qdc(project, path)
    return f"{result['codes']} code(s), {result['sets']} code group(s)", [path]
