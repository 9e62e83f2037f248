"""Held-out figures by leave-documents-out cross-validation.

The units are split into folds by document (scikit-learn's GroupKFold): a document's units are
all in the test fold or all in training, never split, so a code is measured on transcripts it
has not seen. Per code: precision, recall, F1 and support (held-out units coded with it); the
micro average pools every (unit, code) decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from qualcode.errors import QualcodeError

MAX_FOLDS = 5
#: a code's held-out precision counts only when it rests on this many proposals or more
MIN_PREDICTED = 3

Fold = tuple[NDArray[np.intp], NDArray[np.intp]]


def document_folds(groups: Sequence[int] | NDArray[np.int64]) -> list[Fold]:
    """(train, test) index arrays, grouped by document: up to 5 folds, at least 2 documents."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray(groups)
    documents = len(set(groups.tolist()))
    if documents < 2:
        raise QualcodeError(
            f"held-out evaluation needs codings in at least 2 documents (found {documents})"
        )
    folds = GroupKFold(n_splits=min(MAX_FOLDS, documents))
    index = np.arange(len(groups))
    return [
        (np.asarray(tr, dtype=np.intp), np.asarray(te, dtype=np.intp))
        for tr, te in folds.split(index, groups=groups)
    ]


@dataclass(frozen=True)
class CodeScore:
    code_id: int
    code: str
    precision: float
    recall: float
    f1: float
    support: int  # held-out units coded with the code
    predicted: int  # held-out units the suggester proposed
    offered: bool

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.predicted,
            "offered": self.offered,
        }


def scores(truth: NDArray[np.int8], predicted: NDArray[np.int8]) -> tuple[float, float, float]:
    """(precision, recall, F1) of 0/1 decisions; 0 where undefined (nothing predicted)."""
    tp = float((truth & predicted).sum())
    p_count = float(predicted.sum())
    t_count = float(truth.sum())
    precision = tp / p_count if p_count else 0.0
    recall = tp / t_count if t_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def code_score(
    code_id: int,
    code: str,
    truth: NDArray[np.int8],
    predicted: NDArray[np.int8],
    min_precision: float,
) -> CodeScore:
    """A code's held-out figures; it is offered when its precision reaches ``min_precision``
    over at least :data:`MIN_PREDICTED` held-out proposals."""
    precision, recall, f1 = scores(truth, predicted)
    offered = int(predicted.sum()) >= MIN_PREDICTED and precision >= min_precision
    return CodeScore(
        code_id, code, precision, recall, f1, int(truth.sum()), int(predicted.sum()), offered
    )


def micro(truth: NDArray[np.int8], predicted: NDArray[np.int8]) -> dict[str, float]:
    """The micro average over every (unit, code) decision (arrays of units x codes)."""
    precision, recall, f1 = scores(truth.ravel(), predicted.ravel())
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
