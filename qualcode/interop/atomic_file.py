"""Writing an export so that the target is either the old file or the whole new one (and
what an export of tables reports).

Every writer works on a hidden temporary file beside the target (same folder, so the final
``os.replace`` is atomic) and moves it over the target only when it has been written in full;
a failure or Ctrl-C removes it. The temporary file is created by the writer with the usual
permissions (not ``mkstemp``'s owner-only ones), so an export is readable like any file the
user writes.
"""

from __future__ import annotations

import os
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


def temp_beside(target: Path, suffix: str = ".tmp") -> Path:
    """A new hidden file name in ``target``'s folder."""
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
