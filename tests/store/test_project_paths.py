"""A project path is a path: ``?``, ``#`` and ``%xx`` in a file name are part of the name; only
``scheme://`` makes a URL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ..run_cli import cli

TEXT = "Interviewer: What slows you down?\n\nP01: The lab.\n"


def _documents(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    code, out, err = cli(capsys, "--project", str(path), "documents", "--json")
    assert code == 0, err
    return [d["document"] for d in json.loads(out)]


def test_a_question_mark_and_percent_in_a_file_name_are_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["site?A.db", "site?B.db", "site%41#1.db"]
    for name in names:
        doc = tmp_path / f"{name.replace('?', '_').replace('#', '_')}.txt"
        doc.write_text(TEXT, encoding="utf-8")
        assert cli(capsys, "init", "--project", str(tmp_path / name))[0] == 0
        assert cli(capsys, "--project", str(tmp_path / name), "import", str(doc))[0] == 0
    assert sorted(p.name for p in tmp_path.glob("site*.db")) == sorted(names)
    assert not (tmp_path / "site").exists()
    for name in names:
        assert _documents(capsys, tmp_path / name) == [
            f"{name.replace('?', '_').replace('#', '_')}.txt"
        ]


def test_init_on_an_existing_project_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(path), "--name", "My study")[0] == 0
    code, out, err = cli(capsys, "init", "--project", str(path), "--name", "Other")
    assert code == 2, out + err
    assert "already a qualcode project" in err
    with sqlite3.connect(path) as conn:
        names = conn.execute("select value from settings where key = 'project_name'").fetchall()
    assert names == [("My study",)]
    # an empty file is not a project yet: init makes one there
    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli(capsys, "init", "--project", str(empty))[0] == 0
