"""A document is named by its name: ``2`` is ``2.txt``, never the document with id 2; an id is
written ``#2``; a name that could mean two documents is refused (issue 19, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..run_cli import cli


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Documents whose ids and names disagree (9.txt=1, 10.txt=2, 2.txt=3), two sharing the
    stem ``notes``, and a code A."""
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    src = tmp_path / "src"
    src.mkdir()
    for name in ("9", "10", "2"):
        (src / f"{name}.txt").write_text(f"Interviewer: This is transcript {name}.\n", "utf-8")
        code, out, err = cli(capsys, "--project", path, "import", str(src / f"{name}.txt"))
        assert code == 0, out + err
    (src / "notes.md").write_text("Interviewer: Notes in markdown.\n", "utf-8")
    (src / "notes.txt").write_text("Interviewer: Notes in text.\n", "utf-8")
    code, out, err = cli(capsys, "--project", path, "import", str(src / "notes.md"))
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", path, "import", str(src / "notes.txt"))
    assert code == 0, out + err
    assert cli(capsys, "--project", path, "codes", "add", "A")[0] == 0
    return path


def _names(proj: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    code, out, err = cli(capsys, "--project", proj, "documents", "--json")
    assert code == 0, out + err
    return {d["document"] for d in json.loads(out)}


def _codings(proj: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = cli(capsys, "--project", proj, "codings", "--json")
    assert code == 0, out + err
    result: list[dict[str, object]] = json.loads(out)
    return result


def test_a_bare_number_is_a_name_and_hash_number_is_an_id(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--project", proj, "--coder", "ana", "code", "--code", "A", "-s", "0", "-e", "5"]
    code, out, err = cli(capsys, *base, "--document", "2")
    assert code == 0, out + err
    code, out, err = cli(capsys, *base, "--document", "#2")
    assert code == 0, out + err
    assert sorted(str(c["document"]) for c in _codings(proj, capsys)) == ["10.txt", "2.txt"]
    code, out, err = cli(capsys, "--project", proj, "segments", "#3", "--unit", "turn", "--json")
    assert code == 0 and "transcript 2." in out, out + err


def test_a_number_in_a_codings_csv_is_a_name(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "codings.csv"
    path.write_text("document,coder,code,start,end\n2,ana,A,0,5\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "import-codings", str(path))
    assert code == 0, out + err
    assert [c["document"] for c in _codings(proj, capsys)] == ["2.txt"]


@pytest.mark.parametrize(
    "command",
    [
        ["segments", "notes"],
        ["document", "rename", "notes", "x.txt"],
        ["--coder", "ana", "code", "-d", "notes", "-c", "A", "-s", "0", "-e", "5"],
        ["retrieve", "A", "--document", "notes"],
    ],
)
def test_a_stem_two_documents_share_is_refused_naming_both(
    command: list[str], proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--project", proj, *command)
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1
    flat = " ".join(err.split())
    assert "ambiguous" in flat and "notes.md" in flat and "notes.txt" in flat
    assert _codings(proj, capsys) == []
    assert "x.txt" not in _names(proj, capsys)


def test_an_ambiguous_document_in_a_codings_csv_is_refused_with_its_line(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "codings.csv"
    path.write_text("document,coder,code,start,end\n2,ana,A,0,5\nnotes,ana,A,0,5\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "import-codings", str(path))
    assert code == 2, out + err
    flat = " ".join(err.split())
    assert "line 3" in flat and "notes.md" in flat and "notes.txt" in flat
    assert _codings(proj, capsys) == []


def test_a_number_that_is_no_name_points_to_the_hash_form(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--project", proj, "segments", "4")
    assert code == 2, out + err
    assert "'#4'" in err
    code, out, err = cli(capsys, "--project", proj, "segments", "#99")
    assert code == 2 and "#99" in err, out + err


def test_an_attributes_csv_links_documents_by_the_same_rules(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("participant,document,age\nP1,2;#1,40\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "attributes", "import", str(path))
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", proj, "documents", "--json")
    linked = {d["document"] for d in json.loads(out) if d.get("participant") == "P1"}
    assert linked == {"2.txt", "9.txt"}
    path.write_text("participant,document,age\nP2,notes,40\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "attributes", "import", str(path))
    assert code == 2 and "notes.md" in err and "notes.txt" in err, out + err
