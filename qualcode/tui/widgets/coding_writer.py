"""A non-visual widget that writes coding changes to the store, one after another.

Its owner submits jobs (functions that call ``AppContext.history``); one worker thread runs them
in order, each in its own committed transaction, then reads back what changed in the document
and posts it with :class:`CodingWriter.Done`. The screen shows only what has been committed.

What is read back depends on the job (:class:`Reread`). After most jobs only what changed is
read: the codings the job says it created (its :class:`~qualcode.coding.history.Effect`) are
fetched and those it deleted dropped. A job that cannot say gets a cheap read of every coding's
code, coder and span, compared with what the writer last saw, which catches another
instance's changes too. A memo edit, a freshly loaded document and a refresh read everything.

While no job is waiting, the writer makes that cheap comparison for the document it last
served every :data:`POLL_SECONDS`, and posts what another coder (another instance, or the
team's server) changed, so the screen keeps up without a refresh.
"""

from __future__ import annotations

import enum
import queue
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from qualcode.coding.code_entries import CodeEntry, codebook_entries
from qualcode.coding.coders import coder_names
from qualcode.coding.document_view import (
    CodingInfo,
    CodingKey,
    document_coding_keys,
    document_codings,
)
from qualcode.coding.history import Effect
from qualcode.errors import QualcodeError
from qualcode.store.db import Project


@dataclass(frozen=True)
class JobResult:
    """What a job did: a note for the status line, the coding to focus afterwards, and the
    codings it created and deleted (None: unknown, compare with the store)."""

    note: str
    focus: int | None = None
    effect: Effect | None = None


#: a job returns None when it did nothing
Job = Callable[[], JobResult | None]

#: more new codings than this are read with the whole document (one query, no long IN list)
MAX_FETCHED_BY_ID = 500
#: how often an idle writer looks for other coders' changes to the document on screen
POLL_SECONDS = 2.0


class Reread(enum.IntEnum):
    """What to read back after a job (each includes the ones before it)."""

    CHANGES = 0  # codings that appeared, changed span or code, or went away
    CODINGS = 1  # all the document's codings (something was edited in place)
    EVERYTHING = 2  # and the codebook and the coders


@dataclass(frozen=True)
class _Queued:
    job: Job
    document_id: int
    reread: Reread


@dataclass(frozen=True)
class Delta:
    """Codings to show (new or changed) and ids to drop; ``complete``: ``codings`` is all of
    the document's codings, so anything else shown is gone."""

    codings: list[CodingInfo]
    removed: frozenset[int]
    complete: bool


def first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


class CodingWriter(Widget):
    """Runs coding changes in order on one worker thread."""

    class Done(Message):
        def __init__(
            self,
            document_id: int,
            delta: Delta,
            note: str | None,
            focus_id: int | None,
            codes: list[CodeEntry] | None,
            coders: list[str] | None,
            *,
            polled: bool = False,
        ) -> None:
            super().__init__()
            #: True: not a job's result but changes found by looking (another coder's)
            self.polled = polled
            self.document_id = document_id
            self.delta = delta
            self.note = note
            self.focus_id = focus_id
            self.codes = codes
            self.coders = coders

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, project: Project, *, poll_seconds: float | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.project = project
        self.poll_seconds = POLL_SECONDS if poll_seconds is None else poll_seconds
        #: the document the last job was for: the one polled (worker thread only)
        self._polled_document: int | None = None
        self._jobs: queue.Queue[_Queued | None] = queue.Queue()
        #: per document, its codings as last read (touched by the worker thread only)
        self._seen: dict[int, dict[int, CodingKey]] = {}

    def on_mount(self) -> None:
        self._run()

    def on_unmount(self) -> None:
        self._jobs.put(None)

    def submit(self, job: Job, document_id: int, *, reread: Reread = Reread.CHANGES) -> None:
        """Queue a change, and what to read back after it."""
        self._jobs.put(_Queued(job, document_id, reread))

    @work(thread=True, group="coding-writer")
    def _run(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                item = self._jobs.get(timeout=self.poll_seconds)
            except queue.Empty:
                self._poll()
                continue
            if item is None:
                return
            self._polled_document = item.document_id
            try:
                result = item.job()
                effect = result.effect if result is not None else Effect()
                with self.project.session() as s:
                    delta = self._read_back(s, item.document_id, item.reread, effect)
                    everything = item.reread >= Reread.EVERYTHING
                    codes = codebook_entries(s) if everything else None
                    coders = coder_names(s) if everything else None
            except (QualcodeError, SQLAlchemyError) as exc:
                self._seen.pop(item.document_id, None)  # unsure what is shown: read it all next
                self.post_message(self.Failed(first_line(exc)))
                continue
            note, focus = (result.note, result.focus) if result is not None else (None, None)
            self.post_message(self.Done(item.document_id, delta, note, focus, codes, coders))

    def _poll(self) -> None:
        document_id = self._polled_document
        if document_id is None or document_id not in self._seen:
            return
        try:
            with self.project.session() as s:
                delta = self._read_back(s, document_id, Reread.CHANGES, None)
        except SQLAlchemyError:
            return  # the server may be briefly away; the next job or poll tries again
        if delta.codings or delta.removed:
            self.post_message(self.Done(document_id, delta, None, None, None, None, polled=True))

    def _read_back(
        self, s: Session, document_id: int, reread: Reread, effect: Effect | None
    ) -> Delta:
        seen = self._seen.get(document_id)
        if reread < Reread.CODINGS and seen is not None and effect is not None:
            if len(effect.added) <= MAX_FETCHED_BY_ID:
                for cid in effect.removed:
                    seen.pop(cid, None)
                fetched = document_codings(s, document_id, effect.added)
                seen.update((c.id, c.key) for c in fetched)
                return Delta(fetched, frozenset(effect.removed), complete=False)
        elif reread < Reread.CODINGS and seen is not None:
            now = document_coding_keys(s, document_id)
            fresh = [i for i, key in now.items() if seen.get(i) != key]
            if len(fresh) <= MAX_FETCHED_BY_ID:
                self._seen[document_id] = now
                gone = frozenset(seen.keys() - now.keys())
                return Delta(document_codings(s, document_id, fresh), gone, complete=False)
        codings = document_codings(s, document_id)
        self._seen[document_id] = {c.id: c.key for c in codings}
        return Delta(codings, frozenset(), complete=True)
