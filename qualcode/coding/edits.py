"""The coding edits a coder can make and undo, as typed commands, and what each one did.

A face builds an edit (``AddCodings``, ``RemoveCodings``, ``ChangeCoding``, ``SetCodingMemo``,
``Undo``, ``Redo``) and hands it to :meth:`qualcode.coding.history.History.apply`, which commits
it and returns an :class:`Outcome`. The terminal UI's coding service sends them from every
screen; nothing else writes a coder's codings in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NewCoding:
    """A passage to code: ``[start, end)`` of a document with a code."""

    document_id: int
    code_id: int
    start: int
    end: int


@dataclass(frozen=True)
class AddCodings:
    """Code passages, as one undoable change (one key press, or a whole auto-code batch)."""

    codings: tuple[NewCoding, ...]
    label: str = "code"
    memo: str | None = None
    #: said in every new coding's audit record (how it was made: an auto-code query, say)
    context: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RemoveCodings:
    """Remove some of the coder's codings, as one undoable change."""

    coding_ids: tuple[int, ...]
    label: str = "remove"


@dataclass(frozen=True)
class ChangeCoding:
    """Re-code a coding or move its edges; it keeps its id and memos."""

    coding_id: int
    code_id: int | None = None
    start: int | None = None
    end: int | None = None
    label: str = "change"


@dataclass(frozen=True)
class SetCodingMemo:
    """Write (or, with an empty text, remove) the coder's memo on one of their codings."""

    coding_id: int
    body: str
    label: str = "memo"


@dataclass(frozen=True)
class Undo:
    """Revert the coder's last change."""


@dataclass(frozen=True)
class Redo:
    """Put back the change last undone."""


CodingEdit = AddCodings | RemoveCodings | ChangeCoding | SetCodingMemo | Undo | Redo


@dataclass(frozen=True)
class Outcome:
    """What an edit did, committed.

    ``label`` names the change (None: it changed nothing). ``added``: codings that are new or
    changed (read them again), ``removed``: ids that are gone (a removed id may be reused by an
    added coding: apply removals first). ``ids``: for ``AddCodings`` the id of each passage's
    coding, new or already there; for ``ChangeCoding`` and ``SetCodingMemo`` the coding.
    """

    label: str | None
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    ids: tuple[int, ...] = ()
    document_ids: frozenset[int] = frozenset()

    @property
    def changed(self) -> bool:
        return self.label is not None
