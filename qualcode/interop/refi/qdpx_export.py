"""Writing a project as a REFI-QDA project exchange file (.qdpx).

The archive holds ``project.qde`` and ``sources/<guid>.txt``: each document's text, UTF-8,
with positions in code points (the standard), or, with ``positions="nvivo"``, CRLF line ends
and positions in UTF-16 code units, as NVivo for Windows counts them, or, with
``positions="nvivo-mac"``, LF line ends and UTF-16 code units, as NVivo for Mac counts them. The
file is written next to its destination and moved into place, so a failed export never leaves half
a file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import write_atomically
from qualcode.interop.refi.offsets import NVIVO, NVIVO_MAC, STANDARD
from qualcode.interop.refi.project_xml import ExportReport, build_project
from qualcode.interop.refi.xml_write import to_bytes
from qualcode.store.db import Project

POSITIONS = {"standard": STANDARD, "nvivo": NVIVO, "nvivo-mac": NVIVO_MAC}
MAX_INTERNAL_FILE = 2**31 - 1  # the standard's limit for one internal file


def export_qdpx(
    project: Project, out: str | Path, *, positions: str = "standard", unique_names: bool = False
) -> ExportReport:
    counting = POSITIONS.get(positions)
    if counting is None:
        raise QualcodeError(f"positions must be one of {', '.join(POSITIONS)}, not {positions!r}")
    out = Path(out)
    report = ExportReport(file=str(out))
    with project.session() as s:
        top, files = build_project(s, report, counting, unique_names)
    too_big = [name for name, data in files.items() if len(data) > MAX_INTERNAL_FILE]
    if too_big:
        raise QualcodeError(f"a document is larger than REFI-QDA allows (2 GB): {too_big[0]}")
    members = {"project.qde": to_bytes(top)} | {f"sources/{n}": d for n, d in files.items()}
    write_atomically(out, lambda path: _write_zip(path, members))
    return report


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
