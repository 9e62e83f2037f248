"""Attributes by hand (``attributes set``), exported as a CSV that imports back, and a column
that mixes numbers and words refused, not read as text."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.store import open_project
from qualcode.store.models import Attribute, AttributeValue, AuditEntry, Participant

from ..run_cli import cli


@pytest.fixture
def proj(backend_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    url = backend_url
    assert cli(capsys, "init", "--project", url)[0] == 0
    return url


def values(url: str) -> dict[str, dict[str, object]]:
    p = open_project(url)
    with p.session() as s:
        out: dict[str, dict[str, object]] = {}
        for v in s.scalars(select(AttributeValue)):
            out.setdefault(v.participant.label, {})[v.attribute.name] = v.value
        kinds = dict(s.execute(select(Attribute.name, Attribute.kind)).all())
    p.dispose()
    out["kinds"] = dict(kinds)
    return out


def test_set_creates_types_updates_and_removes(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        "attributes",
        "set",
        "P07",
        "state=New York",
        "years=6",
        "interviewed=2024-03-01",
        "--json",
        "--project",
        proj,
    )
    assert code == 0, err
    assert json.loads(out)["created"] is True
    got = values(proj)
    assert got["P07"] == {"state": "New York", "years": 6.0, "interviewed": dt.date(2024, 3, 1)}
    assert got["kinds"] == {"state": "text", "years": "number", "interviewed": "date"}
    # an existing attribute keeps its kind: a word is refused, nothing written
    code, _, err = cli(
        capsys, "attributes", "set", "P07", "years=six", "state=Ohio", "--project", proj
    )
    assert code == 2 and "'years' is a number" in err
    assert values(proj)["P07"]["state"] == "New York"
    code, _, err = cli(
        capsys, "attributes", "set", "P07", "years=", "state=Ohio", "--project", proj
    )
    assert code == 0, err
    assert values(proj)["P07"] == {"state": "Ohio", "interviewed": dt.date(2024, 3, 1)}
    # a kind may be given for a new attribute; a pair without '=' is refused
    assert cli(capsys, "attributes", "set", "P08", "zip:text=02139", "--project", proj)[0] == 0
    assert values(proj)["P08"] == {"zip": "02139"}
    code, _, err = cli(capsys, "attributes", "set", "P08", "zip", "--project", proj)
    assert code == 2 and "key=value" in err
    p = open_project(proj)
    with p.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "attributes")).all()
        assert [e.detail["participant"] for e in entries if e.detail] == ["P07", "P07", "P08"]
    p.dispose()


def test_export_reads_back_unchanged(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "P07.txt"
    doc.write_text("Interviewer: Hello?\n\nP07: Hi.\n", encoding="utf-8")
    assert cli(capsys, "import", str(doc), "--project", proj)[0] == 0
    for args in (
        ["P07", "state=New York", "years=6.5", "interviewed=2024-03-01"],
        ["P08", "state==cmd|calc", "years=12"],
    ):
        assert cli(capsys, "attributes", "set", *args, "--project", proj)[0] == 0
    out_csv = tmp_path / "attrs.csv"
    code, _, err = cli(capsys, "attributes", "export", str(out_csv), "--project", proj)
    assert code == 0, err
    with out_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "participant",
        "document",
        "state:text",
        "years:number",
        "interviewed:date",
    ]
    assert rows[1] == ["P07", "P07.txt", "New York", "6.5", "2024-03-01"]
    # text that could start a formula is neutralised, as in every export
    assert rows[2] == ["P08", "", "'=cmd|calc", "12", ""]
    # into a new project, the file gives the same values and kinds
    other = str(tmp_path / "other.db")
    assert cli(capsys, "init", "--project", other)[0] == 0
    assert cli(capsys, "import", str(doc), "--project", other)[0] == 0
    rows[2][2] = "=cmd|calc"
    with out_csv.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    code, _, err = cli(capsys, "attributes", "import", str(out_csv), "--project", other)
    assert code == 0, err
    assert values(other) == values(proj)
    code, _, err = cli(capsys, "attributes", "export", str(tmp_path / "x.xlsx"), "--project", proj)
    assert code == 2 and ".csv" in err


def test_a_column_mixing_numbers_and_words_is_reported(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("participant,years\nP01,6\nP02,three\nP03,12\n", encoding="utf-8")
    code, _, err = cli(capsys, "attributes", "import", str(mixed), "--project", proj)
    assert code == 2
    assert "'years' mixes numbers (2) and words ('three')" in err
    assert "years:text" in err
    p = open_project(proj)
    with p.session() as s:
        assert s.scalars(select(Participant)).all() == []
        assert s.scalars(select(Attribute)).all() == []
    p.dispose()
    # the header says text: kept as text, as asked
    mixed.write_text("participant,years:text\nP01,6\nP02,three\n", encoding="utf-8")
    assert cli(capsys, "attributes", "import", str(mixed), "--project", proj)[0] == 0
    assert values(proj)["P02"] == {"years": "three"}
    # a column of words (with a number among them) is text
    words = tmp_path / "words.csv"
    words.write_text("participant,office\nP01,county\nP02,state\nP03,7\n", encoding="utf-8")
    assert cli(capsys, "attributes", "import", str(words), "--project", proj)[0] == 0
    assert values(proj)["kinds"]["office"] == "text"
