"""Writing an export so that the target is either the old file or the whole new one (and
what an export of tables reports).

Every writer works on a hidden temporary file beside the target (same folder, so the final
``os.replace`` is atomic) and moves it over the target only when it has been written in full;
a failure or Ctrl-C removes it. The temporary file is owner-only (0600) while it is written, as
it holds transcript text, and gets the usual permissions (0666 less the umask) just before it
is moved into place, so an export is readable like any file the user writes. Temporary data of
the libraries (openpyxl streams a write-only sheet's rows to temporary files) goes to an
owner-only folder beside the target (:func:`private_tempdir`), never to ``/tmp``.

While temporary files exist, SIGTERM and SIGHUP (a closed terminal, a killed job) remove them
and end the process (exit status 128 + the signal): :func:`removed_on_signal`. Only SIGKILL
can leave them behind, hidden and owner-only, beside the target.

Every export target passes through :func:`temp_beside`, which refuses to replace a database:
a SQLite file (the project itself, another project, an upgrade backup) or the ``-wal``,
``-shm`` or ``-journal`` file beside one. ``--project study.qdpx export qdpx study.qdpx``
would otherwise swap the project for its own export.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

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
    """A temporary owner-only file beside ``target``, moved over it (with the usual
    permissions) when the block succeeds and removed when it fails (also on Ctrl-C, SIGTERM
    and SIGHUP)."""
    tmp = temp_beside(target, suffix)
    with removed_on_signal(tmp):
        try:
            private_file(tmp)
            yield tmp
            tmp.chmod(0o666 & ~current_umask())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)


def private_file(path: Path) -> None:
    """Create the empty file ``path``, owner-only (a writer that opens it keeps the mode)."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def current_umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it for a moment,
    which a thread creating a file then would see)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)  # no /proc: briefly the strictest mask, never a looser one
    os.umask(mask)
    return mask


_TEMPDIR_LOCK = threading.Lock()


@contextmanager
def private_tempdir(target: Path) -> Iterator[Path]:
    """A new owner-only (0700) hidden folder beside ``target`` that Python's :mod:`tempfile`
    uses during the block (openpyxl's write-only sheets stream their rows there), removed
    afterwards, also on SIGTERM and SIGHUP. Exports that need one run one at a time."""
    folder = temp_beside(target, ".tmpdir")
    with _TEMPDIR_LOCK, removed_on_signal(folder):
        saved = tempfile.tempdir
        try:
            folder.mkdir(mode=0o700)
            tempfile.tempdir = str(folder)
            yield folder
        finally:
            tempfile.tempdir = saved
            shutil.rmtree(folder, ignore_errors=True)


# --- SIGTERM and SIGHUP while temporary files exist ------------------------------------------

CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_PENDING: dict[Path, None] = {}  # temporary files and folders of exports in progress
_SAVED_HANDLERS: dict[int, object] = {}
_PENDING_LOCK = threading.Lock()


@contextmanager
def removed_on_signal(path: Path) -> Iterator[Path]:
    """While the block runs, SIGTERM and SIGHUP remove ``path`` (a file or a folder) with
    every other temporary path registered so, then end the process with status 128 + the
    signal. The handlers are installed by the first path and the previous ones restored
    after the last; a thread other than the main one cannot install them (Python runs
    handlers in the main thread only), so there the block runs without them."""
    with _PENDING_LOCK:
        if not _PENDING and threading.current_thread() is threading.main_thread():
            for signum in CLEANUP_SIGNALS:
                _SAVED_HANDLERS[signum] = signal.signal(signum, _remove_pending_and_exit)
        _PENDING[path] = None
    try:
        yield path
    finally:
        with _PENDING_LOCK:
            _PENDING.pop(path, None)
            if not _PENDING and threading.current_thread() is threading.main_thread():
                for signum, handler in _SAVED_HANDLERS.items():
                    signal.signal(signum, handler)  # type: ignore[arg-type]
                _SAVED_HANDLERS.clear()


def _remove_pending_and_exit(signum: int, _frame: FrameType | None) -> None:
    for path in list(_PENDING):  # no lock: the interrupted code may hold it
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    os._exit(128 + signum)


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
