"""More like this: the passages of the corpus most like a coded one.

Every unit (sentence, turn or paragraph) of every document is compared with the coding's text
by the cosine of their word and character n-gram tf-idf (:mod:`.vectors`, fitted on the
corpus). Units that a coding of the same code (by any coder) overlaps are left out, so what is
listed is what might still need the code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Span
from qualcode.analysis.units import document_units
from qualcode.coding.codes import code_paths
from qualcode.errors import NotFound
from qualcode.store.models import Coding, Document
from qualcode.suggest.examples import check_unit
from qualcode.suggest.vectors import TextVectors


@dataclass(frozen=True)
class SimilarPassage:
    document_id: int
    document: str
    start: int
    end: int
    score: float
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "text": self.text,
        }


@dataclass(frozen=True)
class SimilarResult:
    coding_id: int
    code: str
    passages: list[SimilarPassage]

    def as_json(self) -> dict[str, object]:
        return {
            "coding": self.coding_id,
            "code": self.code,
            "passages": [p.as_json() for p in self.passages],
        }


def similar_passages(
    s: Session, coding_id: int, *, unit: str = "sentence", limit: int = 10
) -> SimilarResult:
    unit = check_unit(unit)
    coding = s.get(Coding, coding_id)
    if coding is None:
        raise NotFound(f"no coding with id {coding_id}")
    docs = {
        i: (name, text)
        for i, name, text in s.execute(select(Document.id, Document.name, Document.text))
    }
    query = docs[coding.document_id][1][coding.start : coding.end]
    carrying: dict[int, list[Span]] = defaultdict(list)
    for doc_id, start, end in s.execute(
        select(Coding.document_id, Coding.start, Coding.end).where(Coding.code_id == coding.code_id)
    ):
        carrying[doc_id].append((start, end))
    spans = document_units(s, unit, set(docs))
    candidates: list[tuple[int, int, int]] = []
    for doc_id in sorted(docs, key=lambda d: docs[d][0]):
        text = docs[doc_id][1]
        taken = carrying.get(doc_id, [])
        for a, b in spans.get(doc_id, []):
            if text[a:b].strip() and not any(x < b and a < y for x, y in taken):
                candidates.append((doc_id, a, b))
    path = code_paths(s)[coding.code_id]
    if not candidates:
        return SimilarResult(coding_id, path, [])
    texts = [docs[d][1][a:b] for d, a, b in candidates]
    vectors = TextVectors.fit([*texts, query])
    x = vectors.transform(texts)
    q = vectors.transform([query])
    score = np.asarray((x @ q.T).toarray()).ravel()
    order = np.argsort(-score, kind="stable")[: max(limit, 0)]
    passages = [
        SimilarPassage(
            candidates[i][0],
            docs[candidates[i][0]][0],
            candidates[i][1],
            candidates[i][2],
            float(score[i]),
            texts[i],
        )
        for i in order
        if score[i] > 0
    ]
    return SimilarResult(coding_id, path, passages)
