"""caseload extract / suggest / accept: files, projects, the attribute and the evidence coding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qualcode.store import (
    Attribute,
    AttributeValue,
    AuditEntry,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
    Project,
)

from ..run_cli import cli as run

P1_TEXT = (
    "[Interview P1 | test]\n\n"
    "Interviewer: Tell me about the lab.\n\n"
    "P1: It is slow. Tips went up 20 percent this year.\n\n"
    "Interviewer: And how much of your own docket is CSAM work?\n\n"
    "P1: Roughly a third of my docket. The rest is burglary.\n"
)


P2_TEXT = "Interviewer: How are you?\n\nP2: Tired. We lost two ADAs last spring.\n"


@pytest.fixture
def proj(project: Project) -> str:
    with project.write() as s:
        for label, text in (("P1", P1_TEXT), ("P2", P2_TEXT)):
            person = Participant(label=label)
            s.add(person)
            s.add(
                Document(
                    name=f"{label}.txt",
                    text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                    source_name=f"{label}.txt",
                    source_format="txt",
                    participant=person,
                )
            )
        s.add(Participant(label="P3"))  # no documents
    return str(project.path)


def json_of(capsys: pytest.CaptureFixture[str], proj: str, *args: str) -> Any:
    code, out, err = run(capsys, *args, "--json", "--project", proj)
    assert code == 0, err
    return json.loads(out)


def test_extract_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(P1_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(P2_TEXT, encoding="utf-8")
    code, out, err = run(
        capsys, "caseload", "extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [r["file"] for r in rows] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    first = rows[0]
    assert set(first) == {"file", "share_pct", "low", "high", "evidence", "start", "end"}
    assert first["share_pct"] == pytest.approx(33.33)
    assert first["evidence"] == "Roughly a third of my docket."
    assert P1_TEXT[first["start"] : first["end"]] == first["evidence"]
    assert rows[1]["share_pct"] is None and rows[1]["evidence"] is None


def test_extract_bad_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "caseload", "extract", str(tmp_path / "missing.txt"))
    assert (code, out) == (2, "")
    assert "missing.txt" in err and "Traceback" not in err


def test_suggest_then_accept(proj: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = {r["participant"]: r for r in json_of(capsys, proj, "caseload", "suggest")}
    assert list(rows) == ["P1", "P2", "P3"]
    assert rows["P1"]["suggested"] == pytest.approx(33.33)
    assert rows["P1"]["current"] is None and rows["P1"]["document"] == "P1.txt"
    assert rows["P2"]["suggested"] is None and rows["P3"]["suggested"] is None

    done = json_of(capsys, proj, "caseload", "accept", "P1", "--coder", "ann")
    assert done["value"] == pytest.approx(33.33) and done["previous"] is None
    assert done["coding_created"] is True

    project_rows = _state(proj)
    assert project_rows["value"] == pytest.approx(33.33)
    assert project_rows["codings"] == [
        ("Caseload share statement", None, "ann", "Roughly a third of my docket.")
    ]
    assert project_rows["audit"] >= 1

    again = json_of(capsys, proj, "caseload", "suggest")
    assert again[0]["current"] == pytest.approx(33.33) and again[0]["agrees"] is True


def test_caseload_summary_is_the_summary_of_its_attribute(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    json_of(capsys, proj, "caseload", "accept", "P1", "--coder", "ann")
    json_of(capsys, proj, "caseload", "accept", "P3", "--value", "60", "--coder", "ann")
    data = json_of(capsys, proj, "caseload", "summary")
    assert data == json_of(capsys, proj, "summary", "csam_share_pct")
    assert data["attribute"] == "csam_share_pct" and data["groups"] == []
    overall = data["overall"]
    assert (overall["n"], overall["missing"]) == (2, 1)
    assert overall["mean"] == pytest.approx((33.33 + 60) / 2)


def test_accept_with_a_corrected_value(proj: str, capsys: pytest.CaptureFixture[str]) -> None:
    json_of(capsys, proj, "caseload", "accept", "P1", "--coder", "ann")
    done = json_of(capsys, proj, "caseload", "accept", "P1", "--value", "30", "--coder", "bob")
    assert done["value"] == 30 and done["previous"] == pytest.approx(33.33)
    assert done["extracted"] == pytest.approx(33.33)
    state = _state(proj)
    assert state["value"] == 30
    assert sorted(c[2] for c in state["codings"]) == ["ann", "bob"]
    assert state["codes"] == 1  # the code was made once


def test_accept_without_statement_needs_a_value(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "caseload", "accept", "P2", "--coder", "ann", "--project", proj)
    assert code == 2 and "--value" in err
    done = json_of(capsys, proj, "caseload", "accept", "P2", "--value", "15", "--coder", "ann")
    assert done["value"] == 15 and done["coding_id"] is None
    assert _state(proj, "P2")["codings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["caseload", "accept", "P9", "--coder", "ann"], "no participant"),
        (["caseload", "accept", "P1", "--value", "140", "--coder", "ann"], "0 to 100"),
        (["caseload", "accept", "P1"], "--coder"),
    ],
)
def test_accept_errors(
    proj: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    code, out, err = run(capsys, *args, "--project", proj)
    assert (code, out) == (2, "")
    assert message in err


def test_accept_refuses_a_text_attribute(proj: str, capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.store import open_project

    project = open_project(proj)
    with project.write() as s:
        s.add(Attribute(name="csam_share_pct", kind="text"))
    project.dispose()
    code, _out, err = run(capsys, "caseload", "accept", "P1", "--coder", "ann", "--project", proj)
    assert code == 2 and "not a number" in err


def _state(proj: str, label: str = "P1") -> dict[str, Any]:
    from qualcode.store import open_project

    project = open_project(proj)
    try:
        with project.session() as s:
            person = s.scalar(select(Participant).where(Participant.label == label))
            assert person is not None
            value = s.scalar(
                select(AttributeValue.number_value)
                .join(Attribute)
                .where(
                    AttributeValue.participant_id == person.id,
                    Attribute.name == "csam_share_pct",
                )
            )
            codings = [
                (code.name, code.parent_id, coder.name, doc.text[c.start : c.end])
                for c, code, coder, doc in s.execute(
                    select(Coding, Code, Coder, Document)
                    .join(Code, Coding.code_id == Code.id)
                    .join(Coder, Coding.coder_id == Coder.id)
                    .join(Document, Coding.document_id == Document.id)
                    .where(Document.participant_id == person.id)
                )
            ]
            codes = len(
                s.scalars(select(Code).where(Code.name == "Caseload share statement")).all()
            )
            audit = len(s.scalars(select(AuditEntry).where(AuditEntry.action == "accept")).all())
            return {"value": value, "codings": codings, "codes": codes, "audit": audit}
    finally:
        project.dispose()


def test_a_turn_longer_than_spacy_reads_is_read_in_pieces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A participant turn longer than the pipeline's ``max_length`` (5,000,000 characters;
    lowered here so the test is quick) made spaCy raise E088 out of ``caseload extract``;
    it is read in pieces, the answer found past the first one, at its offsets."""
    from qualcode.caseload.domain.rules import share_pipeline

    monkeypatch.setattr(share_pipeline(), "max_length", 3_000)
    filler = "We handle a lot of cases every week in this office. " * 90
    answer = "About 60% of my caseload is CSAM."
    text = (
        "Interviewer: What share of your caseload is CSAM?\n\n"
        f"P01: {filler}\n\n{filler}\n\n{answer} It keeps growing.\n"
    )
    assert len(text) > 3 * 3_000
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "caseload", "extract", str(tmp_path / "long.txt"), "--json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["share_pct"] == 60
    assert text[row["start"] : row["end"]].strip() == answer
