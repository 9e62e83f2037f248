"""A training run: measure every learnable code held out, then suggest the offered codes.

1. The labelled units are cut into folds by document (:func:`.evaluate.document_folds`). For
   each fold, features are fitted on the training units only and one linear model per code
   (logistic loss, scikit-learn's SGDClassifier with a fixed seed, so a run on the same data
   gives the same figures) predicts the test units. A unit is proposed when its probability
   reaches :data:`THRESHOLD`.
2. Per code: held-out precision, recall, F1, support; the micro average; the suggester's alpha
   beside the humans' (:mod:`.as_coder`). A code is offered when its held-out precision
   reaches ``min_precision``.
3. The offered codes are learned again from every labelled unit, and every unit of every
   document is scored; the units proposed are stored as suggestions of this run (replacing
   the previous run's). The run itself is stored as data: settings and figures, no model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, insert, select

from qualcode.analysis.spans import Span
from qualcode.analysis.units import document_units
from qualcode.errors import QualcodeError
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Document, Suggestion, SuggestionModel
from qualcode.suggest.as_coder import suggester_agreement
from qualcode.suggest.evaluate import CodeScore, code_score, document_folds, micro
from qualcode.suggest.examples import TrainingSet, training_set
from qualcode.suggest.vectors import FEATURE_SETTINGS, TextVectors

#: the method and its version, recorded with every run and in the audit of accepted codings
ALGORITHM = "tfidf-sgd-logistic/1"
#: a unit is proposed for a code when the model's probability reaches this
THRESHOLD = 0.5
DEFAULT_MIN_PRECISION = 0.6
MODEL_SETTINGS: dict[str, Any] = {
    "loss": "log_loss",
    "alpha": 1e-4,
    "seed": 0,
    "threshold": THRESHOLD,
}


@dataclass
class TrainingReport:
    model_id: int
    unit: str
    coders: tuple[str, ...]
    min_precision: float
    documents: int
    units: int
    codes: list[CodeScore]
    micro: dict[str, float]
    agreement: dict[str, object]
    too_few: list[str] = field(default_factory=list)  # codes with positives in < 2 documents
    suggestions: int = 0

    @property
    def offered(self) -> list[CodeScore]:
        return [c for c in self.codes if c.offered]

    def as_json(self) -> dict[str, object]:
        return {
            "model": self.model_id,
            "algorithm": ALGORITHM,
            "unit": self.unit,
            "coders": list(self.coders),
            "min_precision": self.min_precision,
            "documents": self.documents,
            "units": self.units,
            "codes": [c.as_json() for c in self.codes],
            "micro": self.micro,
            "agreement": self.agreement,
            "too_few_examples": self.too_few,
            "offered": [c.code for c in self.offered],
            "suggestions": self.suggestions,
        }


def _model(x: Any, y: NDArray[np.int8]) -> Any:
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss", alpha=MODEL_SETTINGS["alpha"], random_state=MODEL_SETTINGS["seed"]
    )
    return model.fit(x, y)


def _probability(model: Any, x: Any) -> NDArray[np.float64]:
    return np.asarray(model.predict_proba(x)[:, 1], dtype=np.float64)


def _train_rows(ts: TrainingSet, train: NDArray[np.intp], code_id: int) -> NDArray[np.intp]:
    extra = np.asarray(ts.extra.get(code_id, []), dtype=np.intp)
    return np.concatenate([train, extra]) if len(extra) else train


def held_out(ts: TrainingSet, codes: list[int]) -> NDArray[np.float64]:
    """The held-out probability of every labelled unit for each code (units x codes)."""
    out = np.zeros((ts.labelled, len(codes)))
    texts = np.asarray(ts.texts, dtype=object)
    extra = np.asarray(sorted({i for code in codes for i in ts.extra.get(code, [])}), np.intp)
    for train, test in document_folds(ts.groups):
        fit_rows = np.concatenate([train, extra])
        vectors, x_fit = TextVectors.fit_transform(list(texts[fit_rows]))
        x_test = vectors.transform(list(texts[test]))
        where = {int(unit): row for row, unit in enumerate(fit_rows)}
        for j, code_id in enumerate(codes):
            rows = _train_rows(ts, train, code_id)
            y = _labels(ts, code_id, rows)
            if y.sum() == 0:
                continue  # no positive in this fold's training documents
            x = x_fit[np.asarray([where[int(i)] for i in rows], dtype=np.intp)]
            out[test, j] = _probability(_model(x, y), x_test)
    return out


def _labels(ts: TrainingSet, code_id: int, rows: NDArray[np.intp]) -> NDArray[np.int8]:
    inside = rows < ts.labelled
    out = np.zeros(len(rows), dtype=np.int8)
    out[inside] = ts.labels[code_id][rows[inside]]
    return out


def train_suggester(
    project: Project,
    *,
    unit: str = "sentence",
    coder: str | None = None,
    min_precision: float = DEFAULT_MIN_PRECISION,
    actor: str = "qualcode",
) -> TrainingReport:
    if not 0.0 <= min_precision <= 1.0:
        raise QualcodeError(f"--min-precision must lie in [0, 1], not {min_precision}")
    with project.session() as s:
        ts = training_set(s, unit, coder)
    codes = ts.learnable()
    too_few = sorted(ts.paths[c] for c in ts.labels if c not in set(codes))
    if not codes:
        raise QualcodeError(
            "no code has codings in at least 2 documents yet: code more before training"
        )
    probability = held_out(ts, codes)
    predicted = (probability >= THRESHOLD).astype(np.int8)
    truth = np.stack([ts.labels[c] for c in codes], axis=1)
    scores = [
        code_score(c, ts.paths[c], truth[:, j], predicted[:, j], min_precision)
        for j, c in enumerate(codes)
    ]
    agreement = _agreement(ts, codes, predicted)
    offered = [s.code_id for s in scores if s.offered]
    report = TrainingReport(
        model_id=0,
        unit=ts.unit,
        coders=ts.coders,
        min_precision=min_precision,
        documents=len(set(ts.groups.tolist())),
        units=ts.labelled,
        codes=scores,
        micro=micro(truth, predicted),
        agreement=agreement,
        too_few=too_few,
    )
    rows = _suggest(project, ts, offered)
    with project.write() as s:
        model = SuggestionModel(
            algorithm=ALGORITHM,
            unit=ts.unit,
            coders=list(ts.coders),
            min_precision=min_precision,
            settings={"features": FEATURE_SETTINGS, "model": MODEL_SETTINGS},
            evaluation={},
        )
        s.add(model)
        s.flush()
        report.model_id = model.id
        report.suggestions = len(rows)
        model.evaluation = report.as_json()
        s.execute(delete(Suggestion))
        if rows:
            s.execute(insert(Suggestion), [r | {"model_id": model.id} for r in rows])
        audit(
            s,
            actor,
            "train",
            "suggestion_model",
            model.id,
            algorithm=ALGORITHM,
            unit=ts.unit,
            coders=list(ts.coders),
            offered=[ts.paths[c] for c in offered],
            suggestions=len(rows),
        )
    return report


def _agreement(ts: TrainingSet, codes: list[int], predicted: NDArray[np.int8]) -> dict[str, Any]:
    guessed: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for j, code_id in enumerate(codes):
        for i in np.flatnonzero(predicted[:, j]):
            u = ts.units[int(i)]
            guessed[u.document_id][ts.paths[code_id]].append((u.start, u.end))
    doc_ids = sorted(set(ts.groups.tolist()))
    wanted = set(codes)
    units: dict[int, list[Span]] = defaultdict(list)
    for u in ts.units[: ts.labelled]:
        units[u.document_id].append((u.start, u.end))
    return suggester_agreement(
        unit=ts.unit,
        codes=[ts.paths[c] for c in codes],
        documents=[(ts.document_names[d], ts.document_lengths[d], units[d]) for d in doc_ids],
        human_spans=[
            {
                (coder, ts.paths[code]): spans
                for (coder, code), spans in ts.codings.get(d, {}).items()
                if code in wanted
            }
            for d in doc_ids
        ],
        predicted=[dict(guessed[d]) for d in doc_ids],
        source=ts.coders,
    )


def _suggest(project: Project, ts: TrainingSet, offered: list[int]) -> list[dict[str, Any]]:
    """Learn the offered codes from every labelled unit; score every unit of the corpus."""
    if not offered:
        return []
    extra = sorted({i for code in offered for i in ts.extra.get(code, [])})
    everything = np.concatenate(
        [np.arange(ts.labelled, dtype=np.intp), np.asarray(extra, dtype=np.intp)]
    )
    texts = np.asarray(ts.texts, dtype=object)
    vectors, x_fit = TextVectors.fit_transform(list(texts[everything]))
    where = {int(unit): row for row, unit in enumerate(everything)}
    labelled = np.arange(ts.labelled, dtype=np.intp)
    models = {}
    for code_id in offered:
        rows = _train_rows(ts, labelled, code_id)
        x = x_fit[np.asarray([where[int(i)] for i in rows], dtype=np.intp)]
        models[code_id] = _model(x, _labels(ts, code_id, rows))
    with project.session() as s:
        doc_texts = dict(s.execute(select(Document.id, Document.text)).all())
        spans = document_units(s, ts.unit, set(doc_texts))
    out: list[dict[str, Any]] = []
    for doc_id in sorted(doc_texts):
        text = doc_texts[doc_id]
        found = [(a, b) for a, b in spans.get(doc_id, []) if text[a:b].strip()]
        if not found:
            continue
        x = vectors.transform([text[a:b] for a, b in found])
        for code_id, model in models.items():
            p = _probability(model, x)
            for (a, b), value in zip(found, p, strict=True):
                if value >= THRESHOLD:
                    out.append(
                        {
                            "document_id": doc_id,
                            "code_id": code_id,
                            "start": a,
                            "end": b,
                            "probability": round(float(value), 4),
                        }
                    )
    return out
