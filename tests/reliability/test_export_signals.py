"""SIGTERM or SIGHUP during an export leaves no temporary file, neither beside the target nor in
the temporary folder (openpyxl streamed a sheet's rows, transcript text included, to
``/tmp/openpyxl.*`` and left them there), and the target is the old file; while they exist,
the temporary files are owner-only."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ..run_cli import cli
from .crash_helpers import REPO

TEXT = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones, confidential.\n"

#: The child: run the CLI export, but stop at a known point (after the coded segments' rows
#: are streamed to openpyxl's temporary file, or while the workbook is being saved and its
#: first sheet is in the hidden zip beside the target), say so on stdout and wait for a signal.
#: The child waits in short sleeps, not ``signal.pause()``: a signal that lands after the
#: interpreter's last check for pending signals and before ``pause()`` blocks is never seen
#: again (the race ``signal.pause`` has), and the child waited for ever; a sleep ends, and the
#: handler runs at the next check.
CHILD = """
import sys, time
from pathlib import Path

phase, *args = sys.argv[1:]

def pause():
    print("PAUSED", flush=True)
    while True:
        time.sleep(0.01)

if phase == "rows":
    from qualcode.interop import xlsx_workbook

    real = xlsx_workbook.write_table

    def write_table(wb, table):
        n = real(wb, table)
        if table.key == "coded_segments":
            pause()
        return n

    xlsx_workbook.write_table = write_table
elif phase == "save":
    from openpyxl.writer.excel import ExcelWriter

    real_ws = ExcelWriter.write_worksheet

    def write_worksheet(self, ws):
        real_ws(self, ws)
        pause()

    ExcelWriter.write_worksheet = write_worksheet
else:
    from qualcode.interop import csv_export

    real_csv = csv_export.write_csv

    def write_csv(table, path, **kw):
        n = real_csv(table, path, **kw)
        if table.key == "coded_segments":
            pause()
        return n

    csv_export.write_csv = write_csv

from qualcode.cli import main

main(args)
"""


def _project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "--project", str(path), "import", str(tmp_path / "P01.txt"))[0] == 0
    assert cli(capsys, "--project", str(path), "codes", "add", "Lab")[0] == 0
    code = ["--project", str(path), "--coder", "ann", "code", "-d", "P01.txt", "-c", "Lab"]
    assert cli(capsys, *code, "-s", "40", "-e", "80")[0] == 0
    return path


def _hidden(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("phase", ["rows", "save", "csv"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_during_an_export_removes_its_temporary_files(
    phase: str, signum: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    if phase == "csv":
        target = out_dir / "tables"
        target.mkdir()
        (target / "coded_segments.csv").write_text("old\n", encoding="utf-8")
        args = ["export", "csv", str(target)]
        folder = target
    else:
        target = out_dir / "study.xlsx"
        target.write_bytes(b"the old workbook")
        args = ["export", "xlsx", str(target)]
        folder = out_dir
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, phase, "--project", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the child is at its stopping point
    assert line.strip() == "PAUSED", proc.communicate()[1]
    hidden = _hidden(folder)
    assert hidden, "the export's temporary data is beside the target"
    for path in hidden:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert not list(temp.iterdir()), "nothing goes to the temporary folder"

    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0, err

    assert _hidden(folder) == []
    assert list(temp.iterdir()) == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_finished_export_has_the_usual_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    target = tmp_path / "out.xlsx"
    mask = os.umask(0o022)
    try:
        assert cli(capsys, "--project", str(project), "export", "xlsx", str(target))[0] == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _hidden(tmp_path) == []
