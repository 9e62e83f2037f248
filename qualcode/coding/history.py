"""Undo and redo of coding changes, independent of any user interface.

Every operation is committed to the store at once (one transaction each) and recorded as a
:class:`Change` that knows how to revert and re-apply itself. A batch (an auto-code run, say) is
one change, so one undo reverts all of it. After each operation :attr:`History.last_effect`
says which codings it created and deleted, so a view can update itself without reading
everything again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codings import check_span
from qualcode.errors import NotFound
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Coding, Document


@dataclass(frozen=True)
class CodingSpec:
    """What a coding is, apart from its id."""

    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    memo: str | None = None

    @classmethod
    def of(cls, c: Coding) -> CodingSpec:
        return cls(c.document_id, c.code_id, c.coder_id, c.start, c.end, c.memo)


@dataclass
class Effect:
    """The ids of the codings an operation created and deleted (a deleted row's id may be
    given to a created one: apply the deletions first)."""

    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def _insert(
    s: Session, specs: Iterable[CodingSpec], actor: str, effect: Effect | None = None
) -> list[int]:
    """Insert codings that are not there yet; return the ids of all of them."""
    ids = []
    for spec in specs:
        existing = existing_coding_id(s, spec)
        if existing is None:
            existing = add_coding(s, spec, actor).id
            if effect is not None:
                effect.added.append(existing)
        ids.append(existing)
    return ids


def add_coding(s: Session, spec: CodingSpec, actor: str) -> Coding:
    """Insert the coding ``spec`` describes (flushed, so it has its id) and audit it."""
    coding = Coding(
        document_id=spec.document_id,
        code_id=spec.code_id,
        coder_id=spec.coder_id,
        start=spec.start,
        end=spec.end,
        memo=spec.memo,
    )
    s.add(coding)
    s.flush()
    audit(s, actor, "add", "coding", coding.id, start=spec.start, end=spec.end)
    return coding


def _delete(
    s: Session, ids: Iterable[int], actor: str, effect: Effect | None = None
) -> list[CodingSpec]:
    codings = s.scalars(select(Coding).where(Coding.id.in_(list(ids)))).all()
    specs = [CodingSpec.of(c) for c in codings]
    for c in codings:
        audit(s, actor, "remove", "coding", c.id, start=c.start, end=c.end)
    if codings:
        s.execute(delete(Coding).where(Coding.id.in_([c.id for c in codings])))
        if effect is not None:
            effect.removed.extend(c.id for c in codings)
    return specs


def _delete_specs(
    s: Session, specs: Iterable[CodingSpec], actor: str, effect: Effect | None = None
) -> None:
    ids = [i for i in (existing_coding_id(s, spec) for spec in specs) if i is not None]
    _delete(s, ids, actor, effect)


@dataclass
class Change:
    """A recorded change: ``label`` for the UI, and the codings before and after it.

    Codings are identified by what they are (document, code, coder, span), which the store
    keeps unique, not by id: a coding put back by an undo gets a new id.
    """

    label: str
    before: list[CodingSpec] = field(default_factory=list)
    after: list[CodingSpec] = field(default_factory=list)

    def undo(self, s: Session, actor: str, effect: Effect | None = None) -> None:
        _delete_specs(s, self.after, actor, effect)
        s.flush()
        _insert(s, self.before, actor, effect)

    def redo(self, s: Session, actor: str, effect: Effect | None = None) -> None:
        _delete_specs(s, self.before, actor, effect)
        s.flush()
        _insert(s, self.after, actor, effect)


class History:
    """Applies coding changes for one coder and keeps them undoable."""

    def __init__(self, project: Project, coder: str, limit: int = 500) -> None:
        self.project = project
        self.coder = coder
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        #: what the last operation that returned committed (empty when it did nothing)
        self.last_effect = Effect()

    # -- recording ------------------------------------------------------------------------
    def _push(self, change: Change) -> Change:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()
        return change

    def add(
        self, document_id: int, code_id: int, start: int, end: int, memo: str | None = None
    ) -> list[int]:
        """Code one span; returns the new coding's id (in a list, like :meth:`add_many`)."""
        return self.add_many([(document_id, code_id, start, end)], label="code", memo=memo)

    def add_many(
        self,
        spans: Iterable[tuple[int, int, int, int]],
        *,
        label: str = "auto-code",
        memo: str | None = None,
    ) -> list[int]:
        """Code many (document_id, code_id, start, end) spans as one undoable change."""
        self.last_effect = effect = Effect()
        with self.project.write() as s:
            coder_id = get_or_create_coder(s, self.coder).id
            specs = []
            for document_id, code_id, start, end in spans:
                doc = s.get(Document, document_id)
                if doc is None:
                    raise NotFound(f"no document with id {document_id}")
                check_span(doc, start, end)
                specs.append(CodingSpec(document_id, code_id, coder_id, start, end, memo))
            new_specs = [sp for sp in specs if existing_coding_id(s, sp) is None]
            ids = _insert(s, new_specs, self.coder, effect)
        if new_specs:
            self._push(Change(label, before=[], after=new_specs))
        return ids

    def remove(self, coding_ids: Iterable[int], *, label: str = "remove") -> int:
        self.last_effect = effect = Effect()
        with self.project.write() as s:
            specs = _delete(s, coding_ids, self.coder, effect)
        if specs:
            self._push(Change(label, before=specs, after=[]))
        return len(specs)

    def replace(
        self,
        coding_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        code_id: int | None = None,
        label: str = "change",
    ) -> int:
        """Change a coding's span or code (extend, shrink, re-code); returns its new id."""
        self.last_effect = effect = Effect()
        with self.project.write() as s:
            coding = s.get(Coding, coding_id)
            if coding is None:
                raise NotFound(f"no coding with id {coding_id}")
            old = CodingSpec.of(coding)
            new = CodingSpec(
                old.document_id,
                code_id if code_id is not None else old.code_id,
                old.coder_id,
                start if start is not None else old.start,
                end if end is not None else old.end,
                old.memo,
            )
            check_span(coding.document, new.start, new.end)
            _delete(s, [coding_id], self.coder, effect)
            s.flush()
            (new_id,) = _insert(s, [new], self.coder, effect)
        self._push(Change(label, before=[old], after=[new]))
        return new_id

    # -- undo / redo ----------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        """Revert the last change; returns its label, or None when there is nothing to undo."""
        if not self._undo:
            return None
        self.last_effect = effect = Effect()
        change = self._undo.pop()
        with self.project.write() as s:
            change.undo(s, self.coder, effect)
        self._redo.append(change)
        return change.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        self.last_effect = effect = Effect()
        change = self._redo.pop()
        with self.project.write() as s:
            change.redo(s, self.coder, effect)
        self._undo.append(change)
        return change.label


def existing_coding_id(s: Session, spec: CodingSpec) -> int | None:
    """The id of a coding exactly like ``spec`` (document, code, coder, span), if any."""
    return s.scalar(
        select(Coding.id).where(
            Coding.document_id == spec.document_id,
            Coding.code_id == spec.code_id,
            Coding.coder_id == spec.coder_id,
            Coding.start == spec.start,
            Coding.end == spec.end,
        )
    )
