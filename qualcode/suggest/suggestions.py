"""The latest training run's suggestions: list them, accept them as codings, reject them.

A suggestion is listed while no coding of its code (by any coder) overlaps its unit and it has
not been rejected. Accepting codes the units as the current coder through the coding history
(:mod:`qualcode.coding.history`, so it is one undoable change), the audit of each new coding
naming the training run and its algorithm. Rejecting remembers the unit and code: it is not
listed again, and the next training run takes it as a negative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Span
from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths, find_code
from qualcode.coding.edits import AddCodings, NewCoding
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.store.audit import audit_many
from qualcode.store.db import Project
from qualcode.store.models import (
    Coding,
    Document,
    Suggestion,
    SuggestionModel,
    SuggestionRejection,
)


@dataclass(frozen=True)
class SuggestionRow:
    id: int
    document_id: int
    document: str
    code_id: int
    code: str
    start: int
    end: int
    probability: float
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "code": self.code,
            "probability": self.probability,
        }


def latest_model(s: Session) -> SuggestionModel | None:
    return s.scalar(select(SuggestionModel).order_by(SuggestionModel.id.desc()).limit(1))


def _coded(s: Session, doc_ids: Iterable[int]) -> dict[tuple[int, int], list[Span]]:
    """(document, code) -> every coder's spans."""
    out: dict[tuple[int, int], list[Span]] = defaultdict(list)
    rows = s.execute(
        select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(
            Coding.document_id.in_(list(doc_ids))
        )
    )
    for doc_id, code_id, start, end in rows:
        out[(doc_id, code_id)].append((start, end))
    return out


def list_suggestions(
    s: Session,
    *,
    document: str | int | None = None,
    code: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[SuggestionRow]:
    """The open suggestions (see the module docstring), by code path, best first."""
    stmt = select(
        Suggestion.id,
        Suggestion.document_id,
        Suggestion.code_id,
        Suggestion.start,
        Suggestion.end,
        Suggestion.probability,
    )
    if document is not None:
        stmt = stmt.where(Suggestion.document_id == find_document(s, document).id)
    if code is not None:
        stmt = stmt.where(Suggestion.code_id == find_code(s, code).id)
    if ids is not None:
        stmt = stmt.where(Suggestion.id.in_(list(ids)))
    rows = s.execute(stmt).all()
    if not rows:
        return []
    doc_ids = {r[1] for r in rows}
    docs = {
        i: (name, text)
        for i, name, text in s.execute(
            select(Document.id, Document.name, Document.text).where(Document.id.in_(doc_ids))
        )
    }
    coded = _coded(s, doc_ids)
    rejected = set(rejection_keys(s, doc_ids))
    paths = code_paths(s)
    out = []
    for sid, doc_id, code_id, start, end, probability in rows:
        if (doc_id, code_id, start, end) in rejected:
            continue
        if any(a < end and start < b for a, b in coded.get((doc_id, code_id), ())):
            continue
        name, text = docs[doc_id]
        out.append(
            SuggestionRow(
                sid, doc_id, name, code_id, paths[code_id], start, end, probability, text[start:end]
            )
        )
    out.sort(key=lambda r: (r.code, -r.probability, r.document, r.start))
    return out


def chosen(s: Session, ids: Sequence[int] = (), above: float | None = None) -> list[SuggestionRow]:
    """The open suggestions named by id (each must be open), or all at or above ``above``."""
    if above is None and not ids:
        raise QualcodeError("name suggestions by id, or give --above P")
    if above is not None:
        if not 0.0 <= above <= 1.0:
            raise QualcodeError(f"--above must lie in [0, 1], not {above}")
        return [r for r in list_suggestions(s) if r.probability >= above]
    wanted = list(dict.fromkeys(ids))
    found = {r.id: r for r in list_suggestions(s, ids=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(
            f"no open suggestion {missing[0]} (already coded, rejected, or from an older "
            "training run; 'qualcode suggest list' shows the open ones)"
        )
    return [found[i] for i in wanted]


@dataclass(frozen=True)
class ModelInfo:
    """Which training run made the suggestions: its id and its algorithm (the model version)."""

    id: int
    algorithm: str
    #: each offered code's held-out precision (code path -> precision)
    precision: dict[str, float] = field(default_factory=dict, compare=False)


def model_info(s: Session) -> ModelInfo | None:
    model = latest_model(s)
    if model is None:
        return None
    codes = model.evaluation.get("codes", []) if isinstance(model.evaluation, dict) else []
    precision = {str(c["code"]): float(c["precision"]) for c in codes if c.get("offered") is True}
    return ModelInfo(model.id, model.algorithm, precision)


def accept_edit(s: Session, rows: Sequence[SuggestionRow]) -> AddCodings:
    """The edit that codes these suggestions: ONE undoable change, audited with the model."""
    model = model_info(s)
    if model is None:
        raise QualcodeError("no suggestions yet: run 'qualcode suggest train' first")
    return edit_accepting(rows, model)


def edit_accepting(rows: Sequence[SuggestionRow], model: ModelInfo) -> AddCodings:
    """See :func:`accept_edit` (for a face that read the model with the suggestions)."""
    return AddCodings(
        tuple(NewCoding(r.document_id, r.code_id, r.start, r.end) for r in rows),
        label=f"accept {len(rows)} suggestion(s)",
        context=(
            ("via", "suggestion"),
            ("model", str(model.id)),
            ("model_version", model.algorithm),
        ),
    )


@dataclass(frozen=True)
class OpenSuggestions:
    """The open suggestions (of one document, or all) and the run that made them."""

    rows: list[SuggestionRow]
    model: ModelInfo | None


def read_open(project: Project, document_id: int | None = None) -> OpenSuggestions:
    """:func:`list_suggestions` in a session of its own, with the model (for a worker)."""
    with project.session() as s:
        return OpenSuggestions(list_suggestions(s, document=document_id), model_info(s))


def reject_ids(project: Project, ids: Sequence[int], coder: str) -> int:
    """:func:`reject_suggestions` of open suggestions by id, committed."""
    with project.write() as s:
        return reject_suggestions(s, chosen(s, ids), coder)


RejectionKey = tuple[int, int, int, int]  # document, code, start, end


def rejection_keys(s: Session, doc_ids: Iterable[int] | None = None) -> list[RejectionKey]:
    """The rejected (document, code, start, end) in the order they were rejected, of
    ``doc_ids`` only when given."""
    stmt = select(
        SuggestionRejection.document_id,
        SuggestionRejection.code_id,
        SuggestionRejection.start,
        SuggestionRejection.end,
    )
    if doc_ids is not None:
        stmt = stmt.where(SuggestionRejection.document_id.in_(list(doc_ids)))
    return [(d, c, a, b) for d, c, a, b in s.execute(stmt.order_by(SuggestionRejection.id))]


def reject_suggestions(s: Session, rows: Sequence[SuggestionRow], coder: str) -> int:
    """Remember these suggestions as rejected by ``coder``; returns how many are new."""
    have = set(rejection_keys(s, {r.document_id for r in rows}))
    coder_id = get_or_create_coder(s, coder).id
    new = {
        (r.document_id, r.code_id, r.start, r.end): r
        for r in rows
        if (r.document_id, r.code_id, r.start, r.end) not in have
    }
    if new:
        s.execute(
            insert(SuggestionRejection),
            [
                {"document_id": d, "code_id": c, "start": a, "end": b, "coder_id": coder_id}
                for d, c, a, b in new
            ],
        )
        audit_many(
            s,
            coder,
            "reject",
            "suggestion",
            [
                (r.id, {"document": r.document, "code": r.code, "start": r.start, "end": r.end,
                        "probability": r.probability})
                for r in new.values()
            ],
        )  # fmt: skip
    return len(new)
