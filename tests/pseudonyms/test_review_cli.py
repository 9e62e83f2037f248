"""``qualcode pseudonyms scan|list|accept|reject|add|edit``, asserted on the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.store import open_project
from qualcode.store.models import Pseudonym, PseudonymForm
from tests.pseudonyms.study import FIXTURES, Study
from tests.run_cli import cli


def stored(path: Path) -> dict[str, tuple[str, str, list[str]]]:
    """pseudonym -> (category, status, forms)."""
    project = open_project(path)
    try:
        with project.session() as s:
            return {
                p.pseudonym: (p.category, p.status, [f.form for f in p.forms])
                for p in s.scalars(select(Pseudonym))
            }
    finally:
        project.dispose()


def test_scan_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    assert cli(capsys, "--project", db, "init")[0] == 0
    assert cli(capsys, "--project", db, "import", str(FIXTURES / "P01.txt"))[0] == 0
    code, out, err = cli(capsys, "--project", db, "pseudonyms", "scan", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["new"]["person"] >= 4 and report["candidates"] == sum(report["new"].values())
    assert stored(tmp_path / "p.db")["[Detective 1]"] == (
        "person",
        "candidate",
        ["Detective Kim Oduya", "Kim Oduya", "Oduya", "Kim"],
    )


def test_a_text_longer_than_spacy_reads_is_scanned_in_pieces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document over the pipeline's ``max_length`` (5,000,000 characters; lowered here so
    the test is quick) made spaCy raise E088 out of ``pseudonyms scan``; it is read in
    pieces and the names past the first piece are found."""
    from qualcode.pseudonyms.detect import identifier_nlp

    monkeypatch.setattr(identifier_nlp(), "max_length", 3_000)
    filler = "We handle a lot of cases every week in this office.\n" * 90
    text = (
        f"P01: {filler}\nDetective Kim Oduya ran the extraction.\n"
        f"{filler}Judge Harriet Marsh ruled.\n"
    )
    assert len(text) > 3 * 3_000
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "p.db")
    assert cli(capsys, "--project", db, "init")[0] == 0
    assert cli(capsys, "--project", db, "import", str(tmp_path / "long.txt"))[0] == 0
    code, _out, err = cli(capsys, "--project", db, "pseudonyms", "scan", "--json")
    assert code == 0, err
    forms = {f for _c, _s, fs in stored(tmp_path / "p.db").values() for f in fs}
    assert {"Detective Kim Oduya", "Judge Harriet Marsh"} <= forms


def test_list_accept_reject(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(study.path)
    code, out, _ = cli(capsys, "--project", db, "pseudonyms", "list", "--context", "1", "--json")
    assert code == 0
    rows = {r["pseudonym"]: r for r in json.loads(out)}
    judge = rows["[Judge 1]"]
    assert judge["occurrences"] == 4  # two in P01, one in a coding memo, one in a code memo
    assert judge["contexts"][0]["match"] == "Judge Harriet Marsh"
    assert judge["contexts"][0]["where"] == "document P01.txt"
    code, _, _ = cli(capsys, "--project", db, "pseudonyms", "accept", "[Judge 1]", "Kim Oduya")
    assert code == 0
    code, _, _ = cli(capsys, "--project", db, "pseudonyms", "reject", "Ohio")
    assert code == 0
    after = stored(study.path)
    assert after["[Judge 1]"][1] == after["[Detective 1]"][1] == "accepted"
    assert after["[State A]"][1] == "rejected"
    code, _, _ = cli(capsys, "--project", db, "pseudonyms", "accept", "--all")
    assert code == 0
    after = stored(study.path)
    assert after["[State A]"][1] == "rejected"  # --all accepts candidates only
    assert {v[1] for k, v in after.items() if k != "[State A]"} == {"accepted"}
    code, out, _ = cli(capsys, "--project", db, "pseudonyms", "list", "--status", "rejected")
    assert "[State A]" in out and "[Judge 1]" not in out


def test_add_and_edit(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(study.path)
    code, _out, err = cli(
        capsys,
        "--project",
        db,
        "pseudonyms",
        "add",
        "Dunmore",
        "--as",
        "[Colleague 4]",
        "--category",
        "person",
    )
    assert code == 0, err
    assert stored(study.path)["[Colleague 4]"] == ("person", "accepted", ["Dunmore"])
    # the form of another pseudonym moves here: every form of one person, one pseudonym
    code, _, err = cli(
        capsys,
        "--project",
        db,
        "pseudonyms",
        "edit",
        "[Colleague 4]",
        "--form",
        "Greg Petrakis",
        "--form",
        "Petrakis",
        "--as",
        "Colleague 9",
    )
    assert code == 0, err
    after = stored(study.path)
    assert sorted(after["[Colleague 9]"][2]) == ["Dunmore", "Greg Petrakis", "Petrakis"]
    assert after["[Person 2]"][2] == ["Greg"]
    code, _, err = cli(capsys, "--project", db, "pseudonyms", "edit", "Greg", "--category", "org")
    assert code == 2 and "category is one of" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(capsys, "--project", db, "pseudonyms", "add", "Dunmore")
    assert code == 2 and "already a form of [Colleague 9]" in err
    code, _, err = cli(capsys, "--project", db, "pseudonyms", "accept", "Nobody Atall")
    assert code == 2 and "no pseudonym or form" in err
    people = [p for p in stored(study.path) if p.startswith("[Person ")]
    code, _, err = cli(capsys, "--project", db, "pseudonyms", "add", "Hal Brooks")
    assert code == 0
    project = open_project(study.path)
    with project.session() as s:
        form = s.scalar(select(PseudonymForm).where(PseudonymForm.form == "Hal Brooks"))
        assert form is not None
        # the next free number after the people the scan found
        assert form.pseudonym.pseudonym == f"[Person {len(people) + 1}]"
    project.dispose()
