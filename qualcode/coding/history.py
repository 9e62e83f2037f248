"""Undo and redo of one coder's coding edits, independent of any user interface.

:meth:`History.apply` carries out a typed edit (:mod:`qualcode.coding.edits`) in one committed
transaction through the owner of coding rows (:mod:`qualcode.coding.codings`), records how to
revert it, and returns an :class:`~qualcode.coding.edits.Outcome`. A batch (an auto-code run,
say) is one change, so one undo reverts all of it. Memos are part of it: removing a coding keeps
its memos for the undo, and a memo edit is a change of its own. Redo restores exactly what undo
removed. A lock makes the history safe to share between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codings import (
    CodingSpec,
    change_coding,
    check_own,
    check_span,
    coding_ids,
    delete_codings,
    insert_codings,
    specs_of,
)
from qualcode.coding.edits import (
    AddCodings,
    ChangeCoding,
    CodingEdit,
    NewCoding,
    Outcome,
    Redo,
    RemoveCodings,
    SetCodingMemo,
    Undo,
)
from qualcode.coding.memos import set_coding_memo
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.db import Project
from qualcode.store.models import Document


@dataclass
class _Effect:
    added: list[int]
    removed: list[int]
    documents: set[int]

    def took(self, specs: Iterable[CodingSpec]) -> None:
        self.documents.update(sp.document_id for sp in specs)


def _find(s: Session, spec: CodingSpec) -> int:
    (found,) = coding_ids(s, [spec])
    if found is None:
        raise QualcodeError("that coding is no longer there (changed elsewhere?)")
    return found


@dataclass
class _Swap:
    """Codings ``before`` became codings ``after`` (added, removed or both)."""

    label: str
    before: list[CodingSpec]
    after: list[CodingSpec]

    def _turn(self, s: Session, actor: str, effect: _Effect, *, back: bool) -> None:
        old, new = (self.after, self.before) if back else (self.before, self.after)
        ids = [i for i in coding_ids(s, old) if i is not None]
        gone = delete_codings(s, ids, actor, via="undo" if back else "redo")
        effect.removed.extend(gone)
        effect.took(gone.values())
        effect.took(new)
        # what was really there (memos written since) is what the other direction restores
        actual = list(gone.values())
        if back:
            self.after = actual or self.after
        else:
            self.before = actual or self.before
        _ids, added = insert_codings(s, new, actor, via="undo" if back else "redo")
        effect.added.extend(added)

    def undo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._turn(s, actor, effect, back=True)

    def redo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._turn(s, actor, effect, back=False)


@dataclass
class _InPlace:
    """A coding's code or span changed from ``before`` to ``after``; it keeps its id."""

    label: str
    before: CodingSpec
    after: CodingSpec

    def _move(
        self, s: Session, actor: str, effect: _Effect, src: CodingSpec, dst: CodingSpec
    ) -> None:
        coding_id = _find(s, src)
        change_coding(s, coding_id, actor, code_id=dst.code_id, start=dst.start, end=dst.end)
        effect.added.append(coding_id)
        effect.took([dst])

    def undo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._move(s, actor, effect, self.after, self.before)

    def redo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._move(s, actor, effect, self.before, self.after)


@dataclass
class _Memo:
    """The coder's memo on a coding went from ``before`` to ``after``."""

    label: str
    coding: CodingSpec
    before: str
    after: str

    def _set(self, s: Session, actor: str, effect: _Effect, body: str) -> None:
        coding_id = _find(s, self.coding)
        set_coding_memo(s, coding_id, body, coder=actor)
        effect.added.append(coding_id)
        effect.took([self.coding])

    def undo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._set(s, actor, effect, self.before)

    def redo(self, s: Session, actor: str, effect: _Effect) -> None:
        self._set(s, actor, effect, self.after)


_Change = _Swap | _InPlace | _Memo


class History:
    """Applies one coder's coding edits and keeps them undoable (thread-safe)."""

    def __init__(self, project: Project, coder: str, limit: int = 500) -> None:
        self.project = project
        self.coder = coder
        self.limit = limit
        self._undo: list[_Change] = []
        self._redo: list[_Change] = []
        self._lock = threading.RLock()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def apply(self, edit: CodingEdit) -> Outcome:
        """Carry out an edit in one committed transaction; say what it did."""
        with self._lock:
            if isinstance(edit, Undo):
                return self._step(self._undo, self._redo, back=True)
            if isinstance(edit, Redo):
                return self._step(self._redo, self._undo, back=False)
            effect = _Effect([], [], set())
            with self.project.write() as s:
                change, ids = self._do(s, edit, effect)
            if change is not None:
                self._undo.append(change)
                del self._undo[: -self.limit]
                self._redo.clear()
            return _outcome(change.label if change else None, effect, ids)

    def _step(self, source: list[_Change], target: list[_Change], *, back: bool) -> Outcome:
        if not source:
            return Outcome(None)
        change = source[-1]
        effect = _Effect([], [], set())
        with self.project.write() as s:
            if back:
                change.undo(s, self.coder, effect)
            else:
                change.redo(s, self.coder, effect)
        target.append(source.pop())
        return _outcome(change.label, effect, ())

    def _do(
        self, s: Session, edit: CodingEdit, effect: _Effect
    ) -> tuple[_Change | None, tuple[int, ...]]:
        if isinstance(edit, AddCodings):
            specs = self._specs(s, edit.codings, edit.memo)
            ids, added = insert_codings(s, specs, self.coder, **dict(edit.context))
            effect.added.extend(added)
            effect.took(specs)
            fresh = set(added)
            new_specs = [sp for sp, i in zip(specs, ids, strict=True) if i in fresh]
            change = _Swap(edit.label, [], list({sp.identity: sp for sp in new_specs}.values()))
            return (change if added else None), tuple(ids)
        if isinstance(edit, RemoveCodings):
            check_own(s, edit.coding_ids, self.coder)
            gone = delete_codings(s, edit.coding_ids, self.coder)
            effect.removed.extend(gone)
            effect.took(gone.values())
            return (_Swap(edit.label, list(gone.values()), []) if gone else None), ()
        if isinstance(edit, ChangeCoding):
            check_own(s, [edit.coding_id], self.coder)
            before, after = change_coding(
                s, edit.coding_id, self.coder, code_id=edit.code_id, start=edit.start, end=edit.end
            )
            if before.identity == after.identity:
                return None, (edit.coding_id,)
            effect.added.append(edit.coding_id)
            effect.took([after])
            return _InPlace(edit.label, before, after), (edit.coding_id,)
        if isinstance(edit, SetCodingMemo):
            check_own(s, [edit.coding_id], self.coder)
            old, new = set_coding_memo(s, edit.coding_id, edit.body, coder=self.coder)
            if old == new:
                return None, (edit.coding_id,)
            effect.added.append(edit.coding_id)
            spec = specs_of(s, [edit.coding_id])[edit.coding_id]
            effect.took([spec])
            return _Memo(edit.label, spec, old, new), (edit.coding_id,)
        raise QualcodeError(f"not a coding edit: {edit!r}")

    def _specs(
        self, s: Session, codings: Iterable[NewCoding], memo: str | None
    ) -> list[CodingSpec]:
        coder_id = get_or_create_coder(s, self.coder).id
        docs: dict[int, Document] = {}
        specs = []
        for c in codings:
            doc = docs.get(c.document_id) or s.get(Document, c.document_id)
            if doc is None:
                raise NotFound(f"no document with id {c.document_id}")
            docs[c.document_id] = doc
            check_span(doc, c.start, c.end)
            specs.append(
                CodingSpec(c.document_id, c.code_id, coder_id, c.start, c.end).with_memo(memo)
            )
        return specs

    # -- the older calls, kept for scripts and tests ---------------------------------------------
    def add(
        self, document_id: int, code_id: int, start: int, end: int, memo: str | None = None
    ) -> list[int]:
        """Code one span; returns its coding's id in a list (empty when it was there already)."""
        out = self.apply(AddCodings((NewCoding(document_id, code_id, start, end),), memo=memo))
        return list(out.added)

    def add_many(
        self, spans: Iterable[tuple[int, int, int, int]], *, label: str = "auto-code"
    ) -> list[int]:
        """Code many (document_id, code_id, start, end) spans as one undoable change; returns
        every span's coding id."""
        edit = AddCodings(tuple(NewCoding(*sp) for sp in spans), label=label)
        return list(self.apply(edit).ids)

    def remove(self, coding_ids: Iterable[int], *, label: str = "remove") -> int:
        return len(self.apply(RemoveCodings(tuple(coding_ids), label=label)).removed)

    def replace(
        self,
        coding_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        code_id: int | None = None,
        label: str = "change",
    ) -> int:
        """Change a coding's span or code; returns its id (which does not change)."""
        self.apply(ChangeCoding(coding_id, code_id=code_id, start=start, end=end, label=label))
        return coding_id

    def set_memo(self, coding_id: int, body: str) -> bool:
        return self.apply(SetCodingMemo(coding_id, body)).changed

    def undo(self) -> str | None:
        """Revert the last change; returns its label, or None when there is nothing to undo."""
        return self.apply(Undo()).label

    def redo(self) -> str | None:
        return self.apply(Redo()).label


def _outcome(label: str | None, effect: _Effect, ids: tuple[int, ...]) -> Outcome:
    return Outcome(
        label,
        tuple(dict.fromkeys(effect.added)),
        tuple(dict.fromkeys(effect.removed)),
        ids,
        frozenset(effect.documents),
    )
