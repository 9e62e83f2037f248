"""Reading an untrusted .qdpx (a zip archive) without trusting it.

Nothing is ever extracted to disk: members are read into memory, only those that are needed, with
bounds on their number, sizes and compression ratio. Archives with zip-slip names (``..``),
absolute paths, backslashes, symlinks or duplicate names are refused outright.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
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

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.label = self.path.name
        if not self.path.is_file():
            raise QualcodeError(f"{self.path}: no such file")
        if self.path.stat().st_size > MAX_ARCHIVE_BYTES:
            raise QualcodeError(f"{self.label}: refused: larger than {MAX_ARCHIVE_BYTES:,} bytes")
        declared = declared_members(self.path)
        if declared is not None and declared > MAX_MEMBERS:
            raise self._refuse(f"{declared:,} members (at most {MAX_MEMBERS:,})")
        try:
            self._zip = zipfile.ZipFile(self.path)
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
        name = info.filename
        if info.flag_bits & 0x1:
            raise self._refuse(f"member {name!r} is encrypted")
        if info.file_size > MAX_MEMBER_BYTES:
            raise self._refuse(f"member {name!r} is larger than {MAX_MEMBER_BYTES:,} bytes")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise self._refuse(f"member {name!r} expands more than {MAX_RATIO}x (zip bomb?)")
        limit = min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self._read_total)
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise self._refuse("the archive expands beyond the size limits (zip bomb?)")
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise QualcodeError(f"{self.label}: member {name!r} is damaged ({exc})") from None
        self._read_total += size
        return b"".join(parts)


def declared_members(path: Path) -> int | None:
    """The member count the archive's end record declares (read before parsing the directory,
    so that a huge directory is refused cheaply); None when it does not say."""
    with path.open("rb") as fh:
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
