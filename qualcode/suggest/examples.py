"""What the suggester learns from: the units of the documents a coder coded, labelled per code.

The coder: ``--from`` names one; by default the consensus coder when it has codings, else
every coder (the counting rule of :func:`qualcode.analysis.coders.counted_coders`). The
documents: those the coder coded (any code). A unit is a positive of a code when one of the
coder's codings of the code overlaps it, and a negative otherwise. A rejected suggestion is a
negative of its code too (where no coding makes it a positive), in any document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.coders import CONSENSUS, counted_coders
from qualcode.analysis.spans import Span
from qualcode.analysis.units import SEGMENT_UNITS, document_units
from qualcode.coding.codes import code_paths
from qualcode.errors import QualcodeError
from qualcode.store.models import Coder, Coding, Document
from qualcode.store.texts import read_passages
from qualcode.suggest.suggestions import rejection_keys

#: a code needs positives in this many documents to be learned (and measured held out)
MIN_POSITIVE_DOCUMENTS = 2


@dataclass(frozen=True)
class UnitRef:
    document_id: int
    start: int
    end: int


@dataclass
class TrainingSet:
    """The labelled units (``labels[code_id]``: 0/1 per unit) and, apart from them, negatives
    from rejected suggestions outside the coded documents (``extra``: unit index lists per
    code; those units are appended after the labelled ones in ``units``/``texts``)."""

    unit: str
    coders: tuple[str, ...]
    units: list[UnitRef]
    texts: list[str]
    labelled: int  # the first ``labelled`` units carry every code's label
    labels: dict[int, NDArray[np.int8]]
    extra: dict[int, list[int]] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    #: every coder's codings in the coded documents: document -> (coder, code id) -> spans
    codings: dict[int, dict[tuple[str, int], list[Span]]] = field(default_factory=dict)
    document_names: dict[int, str] = field(default_factory=dict)
    document_lengths: dict[int, int] = field(default_factory=dict)

    @property
    def groups(self) -> NDArray[np.int64]:
        """The document of each labelled unit (the folds' groups)."""
        return np.asarray([u.document_id for u in self.units[: self.labelled]], dtype=np.int64)

    def learnable(self) -> list[int]:
        """Codes with positives in enough documents, by path."""
        groups = self.groups
        out = []
        for code_id, y in self.labels.items():
            if len(set(groups[y == 1].tolist())) >= MIN_POSITIVE_DOCUMENTS:
                out.append(code_id)
        return sorted(out, key=lambda c: self.paths[c])


def check_unit(unit: str) -> str:
    unit = unit.strip().lower()
    if unit not in SEGMENT_UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; use one of {', '.join(SEGMENT_UNITS)}")
    return unit


def source_coders(s: Session, coder: str | None) -> tuple[str, ...]:
    """The coders whose codings it learns from (see the module docstring)."""
    counted = counted_coders(s, coder)
    if not counted.coders:
        raise QualcodeError("there are no codings to learn from yet")
    return counted.coders


def training_set(s: Session, unit: str, coder: str | None = None) -> TrainingSet:
    unit = check_unit(unit)
    coders = source_coders(s, coder)
    paths = code_paths(s)
    rows = s.execute(
        select(Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end).join(
            Coder, Coding.coder_id == Coder.id
        )
    ).all()
    source_docs = sorted({d for d, _c, name, _a, _b in rows if name in coders})
    wanted = set(source_docs)
    codings: dict[int, dict[tuple[str, int], list[Span]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, code_id, name, start, end in rows:
        if doc_id in wanted:
            codings[doc_id][(name, code_id)].append((start, end))
    docs = {
        i: (name, text)
        for i, name, text in s.execute(
            select(Document.id, Document.name, Document.text).where(Document.id.in_(wanted))
        )
    }
    spans = document_units(s, unit, wanted)
    units: list[UnitRef] = []
    texts: list[str] = []
    for doc_id in source_docs:
        text = docs[doc_id][1]
        for a, b in spans.get(doc_id, []):
            if text[a:b].strip():
                units.append(UnitRef(doc_id, a, b))
                texts.append(text[a:b])
    code_ids = sorted({c for _d, c, name, _a, _b in rows if name in coders})
    index = {code_id: i for i, code_id in enumerate(code_ids)}
    matrix = np.zeros((len(units), len(code_ids)), dtype=np.int8)
    for row, u in enumerate(units):
        for (name, code_id), found in codings[u.document_id].items():
            if name in coders and any(a < u.end and u.start < b for a, b in found):
                matrix[row, index[code_id]] = 1
    labels = {code_id: matrix[:, i].copy() for code_id, i in index.items()}
    ts = TrainingSet(
        unit=unit,
        coders=coders,
        units=units,
        texts=texts,
        labelled=len(units),
        labels=labels,
        paths=paths,
        codings={d: dict(v) for d, v in codings.items()},
        document_names={d: v[0] for d, v in docs.items()},
        document_lengths={d: len(v[1]) for d, v in docs.items()},
    )
    _add_rejections(s, ts)
    return ts


def _add_rejections(s: Session, ts: TrainingSet) -> None:
    """Rejected suggestions become negatives of their code (unless a coding says otherwise)."""
    rejected = rejection_keys(s)
    if not rejected:
        return
    position = {(u.document_id, u.start, u.end): i for i, u in enumerate(ts.units)}
    outside: dict[int, list[Span]] = {}
    for doc_id, _code, start, end in rejected:
        if doc_id not in ts.document_names:
            outside.setdefault(doc_id, []).append((start, end))
    texts = read_passages(s, outside)  # only the rejected passages, not whole texts
    for doc_id, code_id, start, end in rejected:
        at = position.get((doc_id, start, end))
        if at is not None:
            continue  # a unit of a coded document: a negative already unless coded
        if doc_id not in texts:
            continue
        position[(doc_id, start, end)] = len(ts.units)
        ts.units.append(UnitRef(doc_id, start, end))
        ts.texts.append(texts[doc_id][start:end])
        ts.extra.setdefault(code_id, []).append(len(ts.units) - 1)


def is_consensus(coders: tuple[str, ...]) -> bool:
    return coders == (CONSENSUS,)
