"""Reading an untrusted zip archive (a .qdpx, a .docx) without trusting it: the ONE bounded unzip.

Nothing is ever extracted to disk: members are read into memory, only those that are needed, with
bounds on their number, sizes and compression ratio. The sizes an archive declares are only a
first check: bytes are counted while they are decompressed, a megabyte at a time, so an archive
that lies about them is refused before it fills memory (Python's ``ZipFile.read`` inflates a
member in one call, up to 2 GB, whatever size the archive declares). Archives with zip-slip names
(``..``), absolute paths, backslashes, symlinks or duplicate names are refused outright.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from qualcode.errors import QualcodeError

MAX_ARCHIVE_BYTES = 4_000_000_000
MAX_MEMBERS = 10_000
#: Largest member we read (after decompression).
MAX_MEMBER_BYTES = 256_000_000
#: Everything read from one archive, together.
MAX_TOTAL_BYTES = 1_000_000_000
#: Largest compression ratio of a member we read, once it is past RATIO_FLOOR bytes.
MAX_RATIO = 200
RATIO_FLOOR = 1_000_000
CHUNK = 1 << 20

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SafeZip:
    """An open archive whose member names have been checked; read members with :meth:`read`."""

    def __init__(
        self,
        path: str | Path,
        *,
        data: bytes | None = None,
        label: str | None = None,
        max_total: int | None = None,
    ) -> None:
        """Open ``path`` (or the archive ``data`` read from it); messages start with ``label``
        (the file name by default); ``max_total`` bounds all that is read (default
        :data:`MAX_TOTAL_BYTES`)."""
        self.path = Path(path)
        self.label = self.path.name if label is None else label
        self.max_total = MAX_TOTAL_BYTES if max_total is None else max_total
        if data is None and not self.path.is_file():
            raise QualcodeError(f"{self.path}: no such file")
        self.size = len(data) if data is not None else self.path.stat().st_size
        if self.size > MAX_ARCHIVE_BYTES:
            raise QualcodeError(f"{self.label}: refused: larger than {MAX_ARCHIVE_BYTES:,} bytes")
        declared = declared_members(self.path if data is None else data)
        if declared is not None and declared > MAX_MEMBERS:
            raise self._refuse(f"{declared:,} members (at most {MAX_MEMBERS:,})")
        try:
            self._zip = zipfile.ZipFile(self.path if data is None else io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise QualcodeError(f"{self.label}: not a readable zip archive ({exc})") from None
        self._read_total = 0
        try:
            self.members = self._check_members()
        except QualcodeError:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _refuse(self, why: str) -> QualcodeError:
        return QualcodeError(f"{self.label}: refused: {why}")

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self._refuse(f"{len(infos):,} members (at most {MAX_MEMBERS:,})")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            problem = name_problem(name)
            if problem:
                raise self._refuse(f"member {name[:80]!r} {problem}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise self._refuse(f"member {name[:80]!r} is a symbolic link")
            folded = name.rstrip("/").casefold()
            if folded in members:
                raise self._refuse(f"member {name[:80]!r} appears more than once")
            members[folded] = info
        return members

    def names(self) -> list[str]:
        """Member names (files only, not folders), as stored."""
        return [i.filename for i in self.members.values() if not i.is_dir()]

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """A member by name, compared without regard to case (``Sources/`` = ``sources/``)."""
        info = self.members.get(name.casefold())
        return info if info is not None and not info.is_dir() else None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, reading no more than the bounds allow."""
        parts: list[bytes] = []
        self._stream(info, parts.append)
        return b"".join(parts)

    def measure(self, info: zipfile.ZipInfo) -> int:
        """A member's true size, decompressed within the bounds and not kept (its bytes
        count towards the archive's total as if read). A member whose data does not match
        what the archive declares (size, CRC) is refused as damaged."""
        return self._stream(info, lambda _chunk: None)

    def _stream(self, info: zipfile.ZipInfo, keep: Callable[[bytes], object]) -> int:
        name = info.filename
        if info.flag_bits & 0x1:
            raise self._refuse(f"member {name!r} is encrypted")
        if info.file_size > MAX_MEMBER_BYTES:
            raise self._refuse(f"member {name!r} is larger than {MAX_MEMBER_BYTES:,} bytes")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise self._refuse(f"member {name!r} expands more than {MAX_RATIO}x (zip bomb?)")
        limit = min(MAX_MEMBER_BYTES, self.max_total - self._read_total)
        ratio_limit = max(RATIO_FLOOR, MAX_RATIO * self.size) - self._read_total
        size = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(CHUNK):  # never more than CHUNK bytes inflated at once
                    size += len(chunk)
                    if size > limit:
                        raise self._refuse("the archive expands beyond the size limits (zip bomb?)")
                    if size > ratio_limit:
                        raise self._refuse(f"the archive expands over {MAX_RATIO}x (zip bomb?)")
                    keep(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise QualcodeError(f"{self.label}: member {name!r} is damaged ({exc})") from None
        self._read_total += size
        return size


def declared_members(source: Path | bytes) -> int | None:
    """The member count the archive's end record declares (read before parsing the directory,
    so that a huge directory is refused cheaply); None when it does not say."""
    if isinstance(source, bytes):
        tail = source[-65_557:]
    else:
        with source.open("rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 65_557))  # the end record and the longest comment
            tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    total = int.from_bytes(tail[at + 10 : at + 12], "little")
    return None if total == 0xFFFF else total


def name_problem(name: str) -> str | None:
    """Why a member name is unsafe, or None."""
    if not name or _CONTROL.search(name):
        return "has an empty name or control characters"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or _DRIVE.match(name):
        return "has an absolute path"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "climbs out of the archive with '..'"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path component"
    return None


def folder_of(name: str) -> str:
    """The folder of a member, with a trailing slash (``""`` at the top level)."""
    parent = str(PurePosixPath(name).parent)
    return "" if parent == "." else parent + "/"
