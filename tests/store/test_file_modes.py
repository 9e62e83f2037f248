"""Project files hold confidential transcripts: the project, its -wal and -shm and an upgrade's
backup are created readable by their owner only (0600), whatever the umask."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..run_cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual umask, under which files come out 0644
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_project_and_its_wal_and_shm_are_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    assert mode(path) == 0o600
    # a reader holds the WAL open while qualcode writes: the -wal and -shm are there to look at
    reader = sqlite3.connect(path)
    try:
        reader.execute("select count(*) from documents").fetchone()
        (tmp_path / "P01.txt").write_text("P01: The lab is slow.\n", encoding="utf-8")
        assert cli(capsys, "--project", str(path), "import", str(tmp_path / "P01.txt"))[0] == 0
        for companion in ("study.db-wal", "study.db-shm"):
            assert mode(tmp_path / companion) == 0o600, companion
    finally:
        reader.close()


def test_an_upgrade_backup_is_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "study.db"
    shutil.copyfile(FIXTURES / "release-0.1.0-rev0002.sqlite", old)
    code, _out, err = cli(capsys, "--project", str(old), "documents")
    assert code == 0, err
    backups = list(tmp_path.glob("study.db.backup-*"))
    assert len(backups) == 1
    assert mode(backups[0]) == 0o600
