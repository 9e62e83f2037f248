"""A .docx whose archive lies about its members' sizes is refused without inflating them: the
bytes are counted while they are decompressed (a 3.9 MB .docx declaring small sizes drove
memory to 2.28 GB, as ``ZipFile.read`` inflates a member in one call)."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..run_cli import cli
from .crash_helpers import REPO

#: what the bomb's document.xml really inflates to
BOMB_BYTES = 600_000_000
#: the importing process's peak memory must stay far below that
MAX_PEAK_BYTES = 400_000_000

#: The importing process reports its own peak resident memory (VmHWM: ru_maxrss would include
#: the forking pytest's, which a process inherits across fork and exec).
CHILD = """
import sys
from qualcode.cli import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
print("PEAK", peak * 1024, file=sys.stderr)
sys.exit(code)
"""


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: What slows you down?")
    document.add_paragraph("P01: The lab.")
    document.save(str(path))


def _lying_bomb(good: Path, out: Path, declared: int) -> None:
    """``good`` with word/document.xml followed by ``BOMB_BYTES`` of padding, the central
    directory declaring it ``declared`` bytes long."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            body = src.read(info)
            with dst.open("word/document.xml", "w") as fh:
                fh.write(body)
                chunk = b" " * 1_000_000
                for _ in range(BOMB_BYTES // len(chunk)):
                    fh.write(chunk)
    data = bytearray(out.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at + 1)) >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, declared)  # the uncompressed size
    out.write_bytes(bytes(data))


# "plausible": 100 MB, which the declared-sizes check let through (ratio 170 < 200)
@pytest.mark.parametrize("declared", [2_000, 100_000_000], ids=["small", "plausible"])
def test_a_docx_lying_about_its_sizes_is_refused_within_bounded_memory(
    declared: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(project))[0] == 0
    good = tmp_path / "good.docx"
    _docx(good)
    bomb = tmp_path / "P01.docx"
    _lying_bomb(good, bomb, declared)
    assert bomb.stat().st_size < 5_000_000

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["--project", str(project), "import", str(bomb)]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1])
    message = "\n".join(lines[:-1])
    assert peak < MAX_PEAK_BYTES, f"peak memory {peak:,} bytes"
    assert "P01.docx" in message and ("zip bomb" in message or "damaged" in message), message

    # the good file still imports
    code, out, err = cli(capsys, "--project", str(project), "import", str(good))
    assert code == 0, out + err
