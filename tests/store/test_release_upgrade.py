"""A project made by the previous release (0.1.0, schema 0002) opens in this one with nothing lost.

``fixtures/release-0.1.0-rev0002.sqlite`` was made with qualcode 0.1.0 (commit 5e29bed) from two
demo transcripts: ``code --memo`` and the terminal UI wrote coding memos into ``codings.memo``;
``memo --on coding``, ``--on document`` and a project memo wrote memo rows:

=========  ==========  =====  ====================================
coding     coder       span   memos
=========  ==========  =====  ====================================
1 P01      ana         100-200  column: "Plea talk starts here."
2 P01      ana         300-420  row: "A memo row on ana's coding."; column: "TUI memo on coding 2"
3 P02      bob         50-120   column: "bob's own memo"
4 P02      ana         50-120   (none)
=========  ==========  =====  ====================================
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from qualcode.coding.codings import coding_memos
from qualcode.coding.memos import memo_rows
from qualcode.store import Memo, open_project
from qualcode.store.migrate import current_revision, head_revision

from ..run_cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.0-rev0002.sqlite"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "study.db"
    shutil.copy(FIXTURE, path)
    return path


def test_the_fixture_is_the_previous_release(old: Path) -> None:
    import sqlite3

    con = sqlite3.connect(old)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        assert con.execute("SELECT count(*) FROM codings WHERE memo IS NOT NULL").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM memos").fetchone() == (3,)
    finally:
        con.close()


def test_coding_memos_move_into_memos_with_nothing_lost(old: Path) -> None:
    project = open_project(old)
    try:
        assert current_revision(project.engine) == head_revision()
        assert "memo" not in {c["name"] for c in inspect(project.engine).get_columns("codings")}
        with project.session() as s:
            assert len(s.scalars(select(Memo)).all()) == 6
            memos = coding_memos(s)
            rows = {r.body: r for r in memo_rows(s)}
        assert memos == {
            1: "Plea talk starts here.",
            2: "TUI memo on coding 2\n\nA memo row on ana's coding.",
            3: "bob's own memo",
        }
        # each moved memo is its coding's coder's, on that coding
        assert (rows["bob's own memo"].coder, rows["bob's own memo"].coding_id) == ("bob", 3)
        assert rows["TUI memo on coding 2"].target == "coding"
        assert rows["Doc memo"].target == "document" and rows["Project memo"].target == "project"
    finally:
        project.dispose()
    assert len(list(old.parent.glob("study.db.backup-0002-*"))) == 1


def test_both_faces_show_the_migrated_memos(old: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "codings", "--json", "--project", str(old))
    codings = {c["id"]: c["memo"] for c in json.loads(out)}
    assert codings == {
        1: "Plea talk starts here.",
        2: "TUI memo on coding 2\n\nA memo row on ana's coding.",
        3: "bob's own memo",
        4: None,
    }
    code, out, _err = cli(capsys, "memos", "--json", "--project", str(old))
    assert code == 0
    memos = json.loads(out)
    assert sorted(m["target_id"] for m in memos if m["on"] == "coding") == [1, 2, 2, 3]
