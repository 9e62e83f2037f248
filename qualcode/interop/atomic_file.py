"""Writing an export so that the target is either the old file or the whole new one (and
what an export of tables reports).

Every writer works on a hidden temporary file beside the target (same folder, so the final
``os.replace`` is atomic) and moves it over the target only when it has been written in full;
a failure or Ctrl-C removes it. The temporary file is created by the writer with the usual
permissions (not ``mkstemp``'s owner-only ones), so an export is readable like any file the
user writes.

Every export target passes through :func:`temp_beside`, which refuses to replace a database:
a SQLite file (the project itself, another project, an upgrade backup) or the ``-wal``,
``-shm`` or ``-journal`` file beside one. ``--project study.qdpx export qdpx study.qdpx``
would otherwise swap the project for its own export.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError


@dataclass
class ExportResult:
    """Where an export of tables went: the file (or folder) and what it holds."""

    path: Path
    sheets: dict[str, int] = field(default_factory=dict)  # name -> data rows (or CSV file name)
    notes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "sheets": self.sheets, "notes": self.notes}


SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
COMPANION = re.compile(r"^(?P<db>.+)(?:-wal|-shm|-journal|\.backup-[^/]*)$")


def refuse_database(target: Path) -> None:
    """A one-line error when ``target`` is a database or a database's companion file (what
    SQLite and the schema upgrade write beside a project), so an export cannot replace it."""
    real = target.expanduser().resolve()
    head = b""
    if real.is_file():
        try:
            with real.open("rb") as f:
                head = f.read(len(SQLITE_HEADER))
        except OSError:
            pass  # unreadable: the write itself will say why it cannot replace it
        if head == SQLITE_HEADER or head[:4] in WAL_MAGIC:
            raise QualcodeError(
                f"{target} is a database (a qualcode project or its backup); "
                "refusing to replace it with an export: give another file name"
            )
    companion = COMPANION.match(real.name)
    if companion and real.with_name(companion["db"]).is_file():
        raise QualcodeError(
            f"{target} belongs to the database {real.with_name(companion['db'])}; "
            "refusing to replace it with an export: give another file name"
        )


def temp_beside(target: Path, suffix: str = ".tmp") -> Path:
    """A new hidden file name in ``target``'s folder (refused when ``target`` is a
    database: see :func:`refuse_database`)."""
    refuse_database(target)
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}{suffix}")


@contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``target``, moved over it when the block succeeds and removed
    when it fails (also on Ctrl-C)."""
    tmp = temp_beside(target, suffix)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def make_folder(folder: Path) -> None:
    """Make ``folder`` and its missing parents (an export's folder need not exist)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QualcodeError(f"cannot make folder {folder}: {exc.strerror or exc}") from None


def check_target(out: Path, suffix: str) -> Path:
    """``out`` (with ``~`` expanded) if it can be written as a ``suffix`` file, else a
    one-line error. A missing folder is made, as for CSV and the F9 exports."""
    out = out.expanduser()
    if out.suffix.lower() != suffix:
        raise QualcodeError(f"{out}: the file name must end in {suffix}")
    if out.is_dir():
        raise QualcodeError(f"{out} is a folder; give a file name ending in {suffix}")
    refuse_database(out)  # before the work, not only when the file is moved into place
    make_folder(out.parent)
    return out


def write_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)``, then move the file to ``out``."""
    if out.is_dir():
        raise QualcodeError(f"{out} is a folder")
    if not out.parent.is_dir():
        raise QualcodeError(f"{out}: folder {out.parent} does not exist")
    with replacing(out) as tmp:
        write(tmp)
