"""Accepting codes suggestions through the coding history (undoable, audited with the model);
rejecting keeps them out of the list and makes them negatives of the next training."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qualcode.coding.history import History
from qualcode.store.models import AuditEntry, Coder, Coding, SuggestionRejection
from qualcode.suggest.examples import training_set
from qualcode.suggest.suggestions import accept_edit, chosen, list_suggestions
from qualcode.suggest.train import ALGORITHM, train_suggester

from ..run_cli import cli
from ..suggest_study import Study


def _open(study: Study, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code, out, err = cli(capsys, "--project", str(study.path), "suggest", "list", "--json", *args)
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_list_shows_only_units_not_yet_coded(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    train_suggester(study.project)
    rows = _open(study, capsys)
    assert rows and set(rows[0]) == {"id", "document", "start", "end", "code", "probability"}
    assert {r["document"] for r in rows} <= {"P7.txt", "P8.txt"}  # P1-P6 are coded already
    lab = _open(study, capsys, "--code", "Lab", "--document", "P7.txt")
    assert lab and all(r["code"] == "Lab" and r["document"] == "P7.txt" for r in lab)
    probabilities = [float(str(r["probability"])) for r in lab]
    assert probabilities == sorted(probabilities, reverse=True)


def test_accept_codes_as_the_coder_with_the_model_in_the_audit(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    report = train_suggester(study.project)
    first = _open(study, capsys, "--code", "Lab")[0]
    code, _out, err = cli(
        capsys, "--project", str(study.path), "--coder", "cy", "suggest", "accept", str(first["id"])
    )
    assert code == 0, err
    with study.project.session() as s:
        coding = s.execute(select(Coding).join(Coder).where(Coder.name == "cy")).scalar_one()
        assert (coding.start, coding.end, coding.code_id) == (
            first["start"],
            first["end"],
            study.codes["Lab"],
        )
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "coding", AuditEntry.entity_id == coding.id
            )
        ).one()
        assert entry.detail is not None
        assert entry.detail["via"] == "suggestion"
        assert entry.detail["model"] == str(report.model_id)
        assert entry.detail["model_version"] == ALGORITHM
    assert first["id"] not in {r["id"] for r in _open(study, capsys)}


def test_accept_above_a_probability_is_one_undoable_change(study: Study) -> None:
    train_suggester(study.project)
    history = History(study.project, "cy")
    with study.project.session() as s:
        rows = chosen(s, above=0.9)
        edit = accept_edit(s, rows)
    assert rows and all(r.probability >= 0.9 for r in rows)
    outcome = history.apply(edit)
    assert len(outcome.added) == len(rows)
    with study.project.session() as s:
        assert not list_suggestions(s, ids=[r.id for r in rows])
    assert history.undo() is not None
    with study.project.session() as s:
        cy = s.scalars(select(Coding.id).join(Coder).where(Coder.name == "cy")).all()
        assert cy == []
        # undone: the suggestions are open again
        assert {r.id for r in list_suggestions(s, ids=[r.id for r in rows])} == {r.id for r in rows}


def test_reject_hides_it_and_makes_it_a_negative_next_time(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    train_suggester(study.project)
    target = _open(study, capsys, "--code", "Plea", "--document", "P8.txt")[0]
    code, _out, err = cli(
        capsys,
        "--project",
        str(study.path),
        "--coder",
        "ana",
        "suggest",
        "reject",
        str(target["id"]),
    )
    assert code == 0, err
    assert target["id"] not in {r["id"] for r in _open(study, capsys)}
    with study.project.session() as s:
        rejection = s.scalars(select(SuggestionRejection)).one()
        assert (rejection.start, rejection.end) == (target["start"], target["end"])
        ts = training_set(s, "sentence")
    plea = study.codes["Plea"]
    [index] = ts.extra[plea]
    unit = ts.units[index]
    assert (unit.document_id, unit.start, unit.end) == (
        study.docs["P8.txt"],
        target["start"],
        target["end"],
    )
    # a retrained model still does not offer it
    train_suggester(study.project)
    assert (target["document"], target["start"], target["code"]) not in {
        (r["document"], r["start"], r["code"]) for r in _open(study, capsys)
    }


def test_unknown_ids_and_no_choice_are_one_line_errors(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    train_suggester(study.project)
    base = ("--project", str(study.path), "--coder", "ana", "suggest")
    code, _out, err = cli(capsys, *base, "accept", "999999")
    assert code == 2 and "no open suggestion 999999" in err
    code, _out, err = cli(capsys, *base, "accept")
    assert code == 2 and "--above" in err
    code, _out, err = cli(capsys, *base, "train", "--unit", "word")
    assert code == 2 and "unknown unit" in err


def test_similar_ranks_passages_without_the_code(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    with study.project.session() as s:
        coding = s.scalars(
            select(Coding).where(Coding.code_id == study.codes["Lab"]).order_by(Coding.id)
        ).first()
        assert coding is not None
        lab_spans = [
            (c.document_id, c.start, c.end)
            for c in s.scalars(select(Coding).where(Coding.code_id == study.codes["Lab"]))
        ]
    code, out, err = cli(
        capsys, "--project", str(study.path), "similar", str(coding.id), "--json", "-n", "5"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["code"] == "Lab" and len(result["passages"]) == 5
    docs = {v: k for k, v in study.docs.items()}
    for p in result["passages"]:
        assert not any(
            docs[d] == p["document"] and a < p["end"] and p["start"] < b for d, a, b in lab_spans
        )
    top = result["passages"][0]
    assert "lab" in top["text"].lower()
    assert top["document"] in {"P7.txt", "P8.txt"}  # every lab sentence of P1-P6 is coded
