"""Two writers at once: a coder whose change cannot be made because of another user's work gets
one line saying so (exit 2), not a traceback or the driver's "database is locked", and nothing
is half-written.

* SQLite: another process holds the write lock (as an import does for its whole transaction)
  past the coder's busy timeout.
* PostgreSQL: the code being coded is merged away by another connection between reading it and
  writing the coding (a ``ForeignKeyViolation``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qualcode.codebook.edit import merge_codes
from qualcode.coding import codings
from qualcode.store import open_project

from ..run_cli import cli
from .crash_helpers import REPO

TEXT = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones.\n"

#: A second process that takes SQLite's write lock and holds it until told to let go.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("insert into settings (key, value) values ('held by', 'the other writer')")
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("RELEASED", flush=True)
"""


def _project(location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert cli(capsys, "init", "--project", location)[0] == 0
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "--project", location, "import", str(tmp_path / "P01.txt"))[0] == 0
    for name in ("Old", "New"):
        assert cli(capsys, "--project", location, "codes", "add", name)[0] == 0
    return ["--project", location, "--coder", "ann", "code", "-d", "P01.txt"]


def _count(s: Any) -> int:
    from sqlalchemy import func, select

    from qualcode.store.models import Coding

    return int(s.scalar(select(func.count()).select_from(Coding)) or 0)


def test_sqlite_a_coder_waiting_on_another_writer_gets_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.db"
    code = _project(str(path), tmp_path, capsys)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert locker.stdin is not None and locker.stdout is not None
    try:
        assert locker.stdout.readline().strip() == "LOCKED"
        monkeypatch.setenv("QUALCODE_BUSY_TIMEOUT", "0.2")  # the wait a coder gets (60 s)
        status, out, err = cli(capsys, *code, "-c", "Old", "-s", "40", "-e", "47")
        assert status == 2, out + err
        assert len(err.strip().splitlines()) == 1, err
        assert "busy with another writer" in err and "nothing was changed" in err
        assert "locked" not in err and "internal error" not in err
    finally:
        locker.stdin.write("\n")
        locker.stdin.flush()
        assert locker.stdout.readline().strip() == "RELEASED"
        locker.wait()
    assert _count_sqlite(path) == 0
    status, out, err = cli(capsys, *code, "-c", "Old", "-s", "40", "-e", "47")
    assert status == 0, out + err
    assert _count_sqlite(path) == 1


def _count_sqlite(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("select count(*) from codings").fetchone()[0])


def test_sqlite_a_bad_busy_timeout_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.db"
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    monkeypatch.setenv("QUALCODE_BUSY_TIMEOUT", "soon")
    status, out, err = cli(capsys, "--project", str(path), "documents")
    assert status == 2, out + err
    assert "QUALCODE_BUSY_TIMEOUT" in err and len(err.strip().splitlines()) == 1


@pytest.mark.postgres
def test_postgres_coding_a_code_merged_away_meanwhile_gets_one_line(
    pg_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = _project(pg_url, tmp_path, capsys)
    real = codings.spec_for

    def merged_meanwhile(s: Any, **kw: Any) -> Any:
        spec = real(s, **kw)  # the coder has read the code...
        other = open_project(pg_url)  # ...and a second connection merges it away, committed
        try:
            with other.write() as s2:
                merge_codes(s2, "Old", "New", actor="merger")
        finally:
            other.dispose()
        return spec

    monkeypatch.setattr(codings, "spec_for", merged_meanwhile)
    status, out, err = cli(capsys, *code, "-c", "Old", "-s", "40", "-e", "47")
    assert status == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    assert "merged away by someone else meanwhile" in err and "nothing was changed" in err
    assert "ForeignKeyViolation" not in err and "internal error" not in err
    monkeypatch.undo()

    project = open_project(pg_url)
    try:
        with project.session() as s:
            assert _count(s) == 0
    finally:
        project.dispose()
    status, out, err = cli(capsys, *code, "-c", "New", "-s", "40", "-e", "47")
    assert status == 0, out + err
