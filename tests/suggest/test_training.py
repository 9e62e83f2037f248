"""Training: leave-documents-out folds, held-out figures checked against scikit-learn, gating
by precision, the suggester's alpha checked against the krippendorff package, no network."""

from __future__ import annotations

import socket
from typing import Any

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import precision_recall_fscore_support
from sqlalchemy import select

from qualcode.errors import QualcodeError
from qualcode.store.models import Suggestion, SuggestionModel
from qualcode.suggest import train as train_module
from qualcode.suggest.as_coder import suggester_agreement
from qualcode.suggest.evaluate import MIN_PREDICTED, document_folds
from qualcode.suggest.examples import training_set
from qualcode.suggest.train import THRESHOLD, held_out, train_suggester
from qualcode.suggest.vectors import TextVectors

from ..run_cli import cli
from ..suggest_study import Study


def test_folds_keep_each_documents_units_together() -> None:
    groups = np.asarray([1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5, 6, 6])
    folds = document_folds(groups)
    assert len(folds) == 5
    tested = np.concatenate([test for _train, test in folds])
    assert sorted(tested.tolist()) == list(range(len(groups)))  # every unit tested once
    for train, test in folds:
        assert not set(groups[train].tolist()) & set(groups[test].tolist())


def test_one_document_cannot_be_held_out() -> None:
    with pytest.raises(QualcodeError, match="at least 2 documents"):
        document_folds(np.asarray([3, 3, 3]))


def test_no_unit_of_a_test_document_is_ever_in_training(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    with study.project.session() as s:
        ts = training_set(s, "sentence")
    fitted: list[set[str]] = []
    real_fit = TextVectors.fit_transform.__func__  # type: ignore[attr-defined]

    def spy_fit(cls: type[TextVectors], texts: Any) -> Any:
        fitted.append(set(texts))
        return real_fit(cls, texts)

    trained_rows: list[int] = []
    real_model = train_module._model

    def spy_model(x: Any, y: Any) -> Any:
        trained_rows.append(x.shape[0])
        return real_model(x, y)

    monkeypatch.setattr(TextVectors, "fit_transform", classmethod(spy_fit))
    monkeypatch.setattr(train_module, "_model", spy_model)
    codes = ts.learnable()
    held_out(ts, codes)
    folds = document_folds(ts.groups)
    assert len(fitted) == len(folds)
    texts = np.asarray(ts.texts, dtype=object)
    for (_train, test), seen in zip(folds, fitted, strict=True):
        test_docs = set(ts.groups[test].tolist())
        assert not seen & set(texts[test].tolist())  # features never see a test unit
        # and every text the features were fitted on comes from a training document
        doc_of = {t: u.document_id for t, u in zip(ts.texts, ts.units, strict=True)}
        assert not {doc_of[t] for t in seen} & test_docs
    # each model was fitted on its fold's training units only (never on a test document's)
    train_sizes = {len(train) for train, _test in folds}
    assert trained_rows and set(trained_rows) <= train_sizes


def test_held_out_figures_match_scikit_learn(study: Study) -> None:
    with study.project.session() as s:
        ts = training_set(s, "sentence")
    codes = ts.learnable()
    probability = held_out(ts, codes)
    report = train_suggester(study.project)
    truth = np.stack([ts.labels[c] for c in codes], axis=1)
    predicted = (probability >= THRESHOLD).astype(int)
    p, r, f, support = precision_recall_fscore_support(truth, predicted, zero_division=0)
    for j, score in enumerate(report.codes):
        assert score.code_id == codes[j]
        assert score.precision == pytest.approx(p[j])
        assert score.recall == pytest.approx(r[j])
        assert score.f1 == pytest.approx(f[j])
        assert score.support == support[j]
    mp, mr, mf, _ = precision_recall_fscore_support(
        truth.ravel(), predicted.ravel(), average="binary", zero_division=0
    )
    assert report.micro == {
        "precision": pytest.approx(mp, abs=1e-4),
        "recall": pytest.approx(mr, abs=1e-4),
        "f1": pytest.approx(mf, abs=1e-4),
    }


def _stored_codes(study: Study) -> set[int]:
    with study.project.session() as s:
        return set(s.scalars(select(Suggestion.code_id).distinct()))


def test_only_codes_at_the_precision_threshold_are_offered(study: Study) -> None:
    report = train_suggester(study.project, min_precision=0.6)
    by_name = {c.code: c for c in report.codes}
    assert by_name["Lab"].offered and by_name["Plea"].offered
    assert by_name["Noise"].precision < 0.6 and not by_name["Noise"].offered
    for c in report.codes:
        assert c.offered == (c.precision >= 0.6 and c.predicted >= MIN_PREDICTED)
    assert _stored_codes(study) == {study.codes["Lab"], study.codes["Plea"]}
    # a threshold above Noise's precision and below the others' keeps the same; zero offers Noise
    low = train_suggester(study.project, min_precision=0.0)
    assert {c.code for c in low.offered} == {"Lab", "Plea", "Noise"}
    assert study.codes["Noise"] in _stored_codes(study)
    with study.project.session() as s:
        assert len(s.scalars(select(SuggestionModel)).all()) == 2
        # the newest run replaced the older run's suggestions
        assert set(s.scalars(select(Suggestion.model_id).distinct())) == {low.model_id}


def test_bad_precision_threshold_is_refused(study: Study) -> None:
    with pytest.raises(QualcodeError, match="min-precision"):
        train_suggester(study.project, min_precision=1.5)


def test_the_suggesters_alpha_is_krippendorffs() -> None:
    units = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)]
    ana = {("ana", "A"): [(0, 10), (20, 30)], ("ana", "B"): [(40, 50)]}
    bob = {("bob", "A"): [(0, 10)], ("bob", "B"): [(40, 50), (50, 60)]}
    guessed = {"A": [(0, 10), (20, 30), (30, 40)], "B": [(50, 60)]}
    out = suggester_agreement(
        unit="sentence",
        codes=["A", "B"],
        documents=[("d", 60, units)],
        human_spans=[ana | bob],
        predicted=[guessed],
        source=("ana", "bob"),
    )

    def row(spans: list[tuple[int, int]]) -> list[int]:
        return [int(u in spans) for u in units]

    matrix = {
        "ana": row(ana[("ana", "A")]) + row(ana[("ana", "B")]),
        "bob": row(bob[("bob", "A")]) + row(bob[("bob", "B")]),
        "suggester": row(guessed["A"]) + row(guessed["B"]),
    }

    def expected(*who: str) -> float:
        data = np.asarray([matrix[w] for w in who], dtype=float)
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

    assert out["humans"]["alpha"] == pytest.approx(expected("ana", "bob"), abs=1e-4)  # type: ignore[index]
    both = out["humans_and_suggester"]["alpha"]  # type: ignore[index]
    assert both == pytest.approx(expected("ana", "bob", "suggester"), abs=1e-4)
    pairs = {p["coders"][0]: p["alpha"] for p in out["suggester_with"]}  # type: ignore[attr-defined]
    assert pairs["ana"] == pytest.approx(expected("ana", "suggester"), abs=1e-4)


class NoNetwork(RuntimeError):
    pass


def test_training_and_suggesting_never_touch_the_network(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NoNetwork("a socket was opened")

    monkeypatch.setattr(socket.socket, "__init__", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    with pytest.raises(NoNetwork):
        socket.socket()  # the guard is on
    project = ["--project", str(study.path)]
    code, out, err = cli(capsys, *project, "suggest", "train", "--json")
    assert code == 0, err
    code, out, err = cli(capsys, *project, "suggest", "list", "--json", "--document", "P7.txt")
    assert code == 0, err
    assert '"code": "Lab"' in out
    code, out, err = cli(capsys, *project, "--coder", "ana", "suggest", "accept", "--above", "0.9")
    assert code == 0, err
