"""Output to a pipe or a file is not wrapped at 80 columns (Rich's width off a terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LONG = " ".join(f"word{i}" for i in range(60))  # about 400 characters, one sentence


def piped(*args: str, columns: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    run = [sys.executable, "-c", "from qualcode.cli import main; main()", *args]
    result = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    return result.stdout


def test_piped_tables_and_lines_keep_whole_lines(tmp_path: Path) -> None:
    project = str(tmp_path / "p.db")
    source = tmp_path / "P01.txt"
    source.write_text(f"Interviewer: Why?\n\nP01: {LONG}.\n", encoding="utf-8")
    piped("init", "--project", project)
    piped("import", str(source), "--project", project)
    table = piped("segments", "P01", "--unit", "turn", "--project", project)
    assert any(f"{LONG}." in line for line in table.splitlines())
    assert max(len(line) for line in table.splitlines()) > 400
    # COLUMNS still sets a width, as Rich does
    narrow = piped("segments", "P01", "--unit", "turn", "--project", project, columns="60")
    assert max(len(line) for line in narrow.splitlines()) <= 60
