"""Agreement on a project: read the codings with SQLAlchemy, then hand plain data to report.py.

Which documents count. Only documents that at least one of the chosen coders coded (any code)
are read. Within a document, a chosen coder who made no coding at all there is taken not to
have coded it, so their ratings are missing rather than "absent": a document that only one
coder has done yet adds no agreement and no disagreement, instead of a wall of false
disagreements. Such documents are listed in ``single_coder_documents``. A coder who coded a
document but not with a given code counts as "absent" for that code.

Which codes. By default every code that a chosen coder applied in those documents; ``codes``
names others explicitly (a code nobody used is reported with its statistics undefined).

Which coders. By default every coder with codings except ``consensus``, which holds the
settled version of disagreements (see adjudicate.py) rather than a coder's own; name it in
``coders`` to compare a coder with the consensus.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.agreement.bootstrap import DEFAULT_SAMPLES, DEFAULT_SEED
from qualcode.agreement.report import ReportOptions, build_report
from qualcode.agreement.spans import OverlapMeasure, SpanArray
from qualcode.agreement.units import (
    SEGMENT_KINDS,
    CodingData,
    DocumentCodings,
    check_unit_and_threshold,
)
from qualcode.analysis.coders import CONSENSUS as CONSENSUS  # re-exported
from qualcode.analysis.spans import Span
from qualcode.coding import code_paths, find_code
from qualcode.errors import NotFound, QualcodeError
from qualcode.store import Coder, Coding, Document, Project, Segment

NO_SPANS: SpanArray = np.zeros((0, 2), dtype=np.int64)


def resolve_coders(s: Session, names: Sequence[str] | None) -> dict[str, int]:
    """Coder name -> id: the named coders, or every coder with codings but "consensus" (at
    least two)."""
    if names:
        wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        stmt = select(Coder.name, Coder.id).where(Coder.name.in_(wanted))
        found = {name: cid for name, cid in s.execute(stmt)}
        missing = [n for n in wanted if n not in found]
        if missing:
            known = ", ".join(sorted(s.scalars(select(Coder.name)))) or "none"
            raise NotFound(f"no coder {missing[0]!r}; coders: {known}")
        chosen = {n: found[n] for n in wanted}
    else:
        stmt = (
            select(Coder.name, Coder.id)
            .where(Coder.id.in_(select(Coding.coder_id)), Coder.name != CONSENSUS)
            .order_by(Coder.name)
        )
        chosen = {name: cid for name, cid in s.execute(stmt)}
    if len(chosen) < 2:
        have = ", ".join(chosen) or "none"
        raise QualcodeError(f"agreement needs at least two coders with codings (found: {have})")
    return chosen


def load_coding_data(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    unit: str = "sentence",
    with_text: bool = False,
) -> CodingData:
    """Read what the agreement report needs; see the module docstring for the rules."""
    check_unit_and_threshold(unit, 0.9)
    with project.session() as s:
        chosen = resolve_coders(s, coders)
        name_of = {cid: name for name, cid in chosen.items()}
        paths = code_paths(s)
        rows = s.execute(
            select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
            .where(Coding.coder_id.in_(list(chosen.values())))
            .order_by(Coding.document_id, Coding.start, Coding.end)
        )
        spans: dict[int, dict[tuple[str, str], list[Span]]] = defaultdict(lambda: defaultdict(list))
        active: dict[int, set[str]] = defaultdict(set)
        used: set[int] = set()
        for doc_id, code_id, coder_id, start, end in rows:
            spans[doc_id][(name_of[coder_id], paths[code_id])].append((start, end))
            active[doc_id].add(name_of[coder_id])
            used.add(code_id)
        if codes:
            selected = list(dict.fromkeys(paths[find_code(s, ref).id] for ref in codes))
        else:
            selected = sorted({paths[c] for c in used})
        if not selected:
            raise QualcodeError("these coders have no codings to compare")
        doc_ids = sorted(active)
        docs = _documents(s, doc_ids, with_text)
        segments = _segments(s, doc_ids, unit) if unit in SEGMENT_KINDS else {}
    if unit in SEGMENT_KINDS and not any(len(spans) for spans in segments.values()):
        raise QualcodeError(
            f"the coded documents have no {unit} segments; "
            "try --unit character, document or overlap"
        )
    documents = tuple(
        DocumentCodings(
            name=docs[d][0],
            length=docs[d][1],
            coders=frozenset(active[d]),
            spans={key: tuple(v) for key, v in spans[d].items()},
            units=segments.get(d, NO_SPANS),
            text=docs[d][2],
        )
        for d in sorted(doc_ids, key=lambda d: docs[d][0])
    )
    return CodingData(tuple(chosen), tuple(selected), documents)


def _documents(
    s: Session, ids: list[int], with_text: bool
) -> dict[int, tuple[str, int, str | None]]:
    if with_text:
        rows = s.execute(
            select(Document.id, Document.name, Document.text).where(Document.id.in_(ids))
        )
        return {i: (name, len(text), text) for i, name, text in rows}
    stmt = select(Document.id, Document.name, Document.length).where(Document.id.in_(ids))
    return {i: (name, int(length), None) for i, name, length in s.execute(stmt)}


def _segments(s: Session, ids: list[int], kind: str) -> dict[int, SpanArray]:
    """Each document's segments of a kind as one span array (a million sentences take 16 MB
    this way, not the 100 MB of a million tuples)."""
    flat = array("q")
    stmt = (
        select(Segment.document_id, Segment.start, Segment.end)
        .where(Segment.kind == kind, Segment.document_id.in_(ids))
        .order_by(Segment.document_id, Segment.start)
        .execution_options(yield_per=20_000)
    )
    for row in s.execute(stmt):
        flat.extend(row)
    rows = (
        np.frombuffer(flat, dtype=np.int64).reshape(-1, 3) if flat else np.zeros((0, 3), np.int64)
    )
    cuts = np.flatnonzero(np.diff(rows[:, 0])) + 1
    return {int(part[0, 0]): part[:, 1:] for part in np.split(rows, cuts) if len(part)}


def agreement_report(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    unit: str = "sentence",
    threshold: float = 0.9,
    codes: Sequence[str] | None = None,
    measure: OverlapMeasure = "union",
    n_boot: int = DEFAULT_SAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> dict[str, Any]:
    """The agreement report of a project (JSON-ready); see report.build_report."""
    check_unit_and_threshold(unit, threshold)
    data = load_coding_data(project, coders=coders, codes=codes, unit=unit)
    options = ReportOptions(n_boot=n_boot, seed=seed)
    return build_report(data, unit, threshold=threshold, measure=measure, options=options)
