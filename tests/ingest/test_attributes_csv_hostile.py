"""Attributes CSV through the command line: a short row, duplicate and empty headers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ..run_cli import cli


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    first = tmp_path / "first.csv"
    first.write_text("participant,age,state,role\nP01,40,TX,DA\nP02,35,CA,AUSA\n", "utf-8")
    assert cli(capsys, "--project", path, "attributes", "import", str(first))[0] == 0
    return path


def _attributes(capsys: pytest.CaptureFixture[str], proj: str) -> dict[str, dict[str, object]]:
    code, out, err = cli(capsys, "--project", proj, "participants", "--json")
    assert code == 0, err
    return {p["participant"]: p["attributes"] for p in json.loads(out)}


def _import(
    capsys: pytest.CaptureFixture[str], proj: str, path: Path, text: str
) -> tuple[int, str]:
    path.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "--project", proj, "attributes", "import", str(path))
    return code, out + err


def test_a_short_row_keeps_the_values_it_does_not_mention(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # P01's row stops after age: state and role are not in it, so they stay as they were
    code, out = _import(capsys, proj, tmp_path / "b.csv", "participant,age,state,role\nP01,41\n")
    assert code == 0, out
    assert _attributes(capsys, proj)["P01"] == {"age": 41.0, "state": "TX", "role": "DA"}


def test_an_explicit_empty_cell_clears_the_value_and_the_audit_keeps_it(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, proj, tmp_path / "c.csv", "participant,age,state,role\nP02,35,,\n")
    assert code == 0, out
    assert _attributes(capsys, proj)["P02"] == {"age": 35.0}
    with sqlite3.connect(proj) as conn:
        rows = conn.execute(
            "select action, detail from audit_log where entity = 'attribute_value'"
        ).fetchall()
    cleared = {
        (d["participant"], d["attribute"]): d["old"]
        for action, raw in rows
        if action == "clear"
        for d in [json.loads(raw)]
    }
    assert cleared == {("P02", "state"): "CA", ("P02", "role"): "AUSA"}


def test_a_changed_value_is_audited_with_its_old_value(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(capsys, proj, tmp_path / "d.csv", "participant,state\nP01,NY\n")[0] == 0
    with sqlite3.connect(proj) as conn:
        rows = conn.execute(
            "select detail from audit_log where entity = 'attribute_value' and action = 'change'"
        ).fetchall()
    assert [json.loads(r[0]) for r in rows] == [
        {"participant": "P01", "attribute": "state", "old": "TX", "new": "NY"}
    ]


@pytest.mark.parametrize(
    "header",
    ["participant,age,age", "participant,age, age", "participant,age,age:number"],
)
def test_a_duplicate_column_is_refused(
    header: str, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, proj, tmp_path / "e.csv", f"{header}\nP01,50,60\n")
    assert code == 2, out
    assert "age" in out and "twice" in out
    assert _attributes(capsys, proj)["P01"]["age"] == 40.0


def test_an_empty_header_with_values_is_refused_and_never_makes_an_attribute(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, proj, tmp_path / "f.csv", "participant,,age\nP01,x,50\n")
    assert code == 2, out
    assert "column 2" in out and "no name" in out
    # an empty trailing column (as spreadsheets write) is left out
    code, out = _import(capsys, proj, tmp_path / "g.csv", "participant,age,\nP01,50,\n")
    assert code == 0, out
    attrs = _attributes(capsys, proj)["P01"]
    assert "" not in attrs and attrs["age"] == 50.0
