"""What changed in a document's codings since they were last read: for views that keep up.

A :class:`CodingsSeen` remembers, per document, every coding's (code, coder, span) as last
read. After an edit whose outcome says what it added and removed, only those are read; without
one, a cheap read of every coding's key finds what another coder (another window, or the team's
server) added, changed or removed. Database faults become :class:`StoreUnavailable`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from qualcode.coding.code_entries import CodeEntry, codebook_entries
from qualcode.coding.coders import coder_names
from qualcode.coding.document_view import (
    CodingInfo,
    CodingKey,
    DocumentData,
    document_coding_keys,
    document_codings,
    load_document,
)
from qualcode.errors import QualcodeError, first_line
from qualcode.store.db import Project

#: more new codings than this are read with the whole document (one query, no long IN list)
MAX_FETCHED_BY_ID = 500


class StoreUnavailable(QualcodeError):
    """The project's database could not be read or written just now."""


@dataclass(frozen=True)
class Delta:
    """Codings to show (new or changed) and ids to drop; ``complete``: ``codings`` is all of
    the document's codings, so anything else shown is gone."""

    codings: list[CodingInfo]
    removed: frozenset[int]
    complete: bool


class CodingsSeen:
    """Per document, the codings a view was last given (use from one thread)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._seen: dict[int, dict[int, CodingKey]] = {}

    def knows(self, document_id: int) -> bool:
        return document_id in self._seen

    def forget(self, document_id: int) -> None:
        self._seen.pop(document_id, None)

    def read(
        self,
        document_id: int,
        *,
        everything: bool = False,
        added: Collection[int] | None = None,
        removed: Collection[int] = (),
    ) -> Delta:
        """What changed since the last read: all codings when ``everything`` (or when nothing
        was read before), only ``added``/``removed`` when given, else whatever differs."""
        try:
            with self.project.session() as s:
                return self._read(s, document_id, everything, added, removed)
        except SQLAlchemyError as exc:
            self.forget(document_id)
            raise _unavailable(exc) from exc

    def codebook_and_coders(self) -> tuple[list[CodeEntry], list[str]]:
        """The codebook as the workbench lists it, and every coder's name."""
        try:
            with self.project.session() as s:
                return codebook_entries(s), coder_names(s)
        except SQLAlchemyError as exc:
            raise _unavailable(exc) from exc

    def _read(
        self,
        s: Session,
        document_id: int,
        everything: bool,
        added: Collection[int] | None,
        removed: Collection[int],
    ) -> Delta:
        seen = self._seen.get(document_id)
        if not everything and seen is not None:
            if added is not None and len(added) <= MAX_FETCHED_BY_ID:
                for cid in removed:
                    seen.pop(cid, None)
                fetched = document_codings(s, document_id, added)
                seen.update((c.id, c.key) for c in fetched)
                return Delta(fetched, frozenset(removed), complete=False)
            if added is None:
                now = document_coding_keys(s, document_id)
                fresh = [i for i, key in now.items() if seen.get(i) != key]
                if len(fresh) <= MAX_FETCHED_BY_ID:
                    self._seen[document_id] = now
                    gone = frozenset(seen.keys() - now.keys())
                    return Delta(document_codings(s, document_id, fresh), gone, complete=False)
        codings = document_codings(s, document_id)
        self._seen[document_id] = {c.id: c.key for c in codings}
        return Delta(codings, frozenset(), complete=True)


def _unavailable(exc: SQLAlchemyError) -> StoreUnavailable:
    return StoreUnavailable(first_line(exc))


def read_document_view(
    project: Project, document_id: int
) -> tuple[DocumentData, list[CodingInfo], list[CodeEntry], list[str]]:
    """What the coding screen shows of a document, read in one session: its text and units,
    every coder's codings of it, the codebook and the coders."""
    try:
        with project.session() as s:
            data = load_document(s, document_id)
            return data, document_codings(s, document_id), codebook_entries(s), coder_names(s)
    except SQLAlchemyError as exc:
        raise _unavailable(exc) from exc
