"""``qualcode demo`` builds only its own project, an empty one or a demo: never a real study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode import demo

from ..run_cli import cli

TEXT = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones.\n"


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "study.db")
    assert cli(capsys, "init", "--project", path, "--name", "My study")[0] == 0
    (tmp_path / "R01.txt").write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "--project", path, "import", str(tmp_path / "R01.txt"))[0] == 0
    return path


def _documents(capsys: pytest.CaptureFixture[str], path: str) -> list[str]:
    code, out, err = cli(capsys, "--project", path, "documents", "--json")
    assert code == 0, err
    return [d["document"] for d in json.loads(out)]


def test_demo_ignores_qualcode_project_and_builds_its_own(
    study: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    own = tmp_path / "own" / "demo.qualcode.db"
    monkeypatch.setattr(demo, "DEFAULT_DEMO_PROJECT", own)
    monkeypatch.setenv("QUALCODE_PROJECT", study)
    code, out, err = cli(capsys, "demo", "--json")
    assert code == 0, err
    assert json.loads(out)["project"] == str(own)
    assert "QUALCODE_PROJECT" in err
    assert _documents(capsys, study) == ["R01.txt"]
    assert len(_documents(capsys, str(own))) == 24


def test_demo_refuses_a_project_given_explicitly_that_holds_a_study(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "demo", "--project", study)
    assert code == 2, out + err
    assert "not the demo" in err
    assert _documents(capsys, study) == ["R01.txt"]


def test_demo_refuses_a_project_with_only_a_codebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "codes.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    book = tmp_path / "book.yaml"
    book.write_text("name: mine\ncodes:\n  - name: Mine\n", encoding="utf-8")
    assert cli(capsys, "--project", path, "codebook", "import", str(book))[0] == 0
    code, out, err = cli(capsys, "demo", "--project", path)
    assert code == 2, out + err
    assert _documents(capsys, path) == []


def test_demo_builds_an_empty_project_given_explicitly_and_builds_it_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "empty.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    assert cli(capsys, "demo", "--project", path)[0] == 0
    assert cli(capsys, "demo", "--project", path)[0] == 0
    assert len(_documents(capsys, path)) == 24
