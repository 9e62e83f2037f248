"""The workbench's one coding service: every coding edit of every screen goes through it.

The app's context owns one :class:`CodingService`. Screens submit typed edits
(:mod:`qualcode.coding.edits`: add, remove, change span or code, set memo, undo, redo); one
worker thread carries them out in order through the coder's
:class:`~qualcode.coding.history.History` (each in its own committed transaction), reads back
what changed in the document the screen shows, and posts a :class:`CodingsRead` (or, for an
edit with no document on screen, :class:`Edited`) to the screen that asked, or
:class:`EditFailed` with a one-line reason. Only the main thread touches widgets.

What is read back: after most edits only what changed (the codings the outcome names are
fetched, those it removed dropped). A refresh or a freshly opened document reads everything.

A screen that shows a document *watches* it from the moment it opens. While no edit waits,
the service compares every watched document's codings with what it last saw, every
:data:`POLL_SECONDS`, and posts what another coder (another window, or the team's server)
added, changed or removed, so a coder who only reads sees it without pressing anything.
"""

from __future__ import annotations

import enum
import queue
import threading
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from qualcode.coding.code_entries import CodeEntry
from qualcode.coding.edits import CodingEdit, Outcome
from qualcode.coding.history import History
from qualcode.coding.live_codings import CodingsSeen, Delta, StoreUnavailable
from qualcode.errors import QualcodeError, first_line
from qualcode.store.db import Project

WORKER_GROUP = "coding-service"
#: how often an idle service looks for other coders' changes to the documents on screen
POLL_SECONDS = 2.0


class Reread(enum.IntEnum):
    """What to read back after an edit (each includes the ones before it)."""

    CHANGES = 0  # codings that appeared, changed span, code or memo, or went away
    CODINGS = 1  # all the document's codings
    EVERYTHING = 2  # and the codebook and the coders


@dataclass
class CodingsRead(Message, bubble=False):
    """What an edit (or a refresh, or another coder) changed in a document's codings."""

    document_id: int
    delta: Delta
    #: the edit's outcome; None for a refresh, an opened document or another coder's change
    outcome: Outcome | None = None
    #: True: not an edit's result but changes found by looking (another coder's)
    polled: bool = False
    codes: list[CodeEntry] | None = None
    coders: list[str] | None = None


@dataclass
class Edited(Message, bubble=False):
    """An edit made with no document on screen (an auto-code batch, say) is committed."""

    outcome: Outcome


@dataclass
class EditFailed(Message, bubble=False):
    """An edit could not be made: one line saying why. Nothing of it was written."""

    error: str


@dataclass(frozen=True)
class _Request:
    edit: CodingEdit | None
    reply_to: MessagePump
    document_id: int | None
    reread: Reread


@dataclass
class _Watch:
    reply_to: MessagePump
    document_id: int


class CodingService:
    """One coder's coding edits for the whole app, on one worker thread."""

    def __init__(
        self, project: Project, history: History, *, poll_seconds: float | None = None
    ) -> None:
        self.project = project
        self.history = history
        self.poll_seconds = POLL_SECONDS if poll_seconds is None else poll_seconds
        self._queue: queue.Queue[_Request | _Watch | None] = queue.Queue()
        self._watchers: dict[int, tuple[MessagePump, int]] = {}  # id(screen) -> (screen, doc)
        self._lock = threading.Lock()
        self._seen = CodingsSeen(project)
        self._worker: Worker[None] | None = None
        #: requests (edits, reads, watches) queued, and those answered
        self.queued = 0
        self.done = 0

    # -- the main thread's side --------------------------------------------------------------------
    def submit(
        self,
        edit: CodingEdit | None,
        reply_to: MessagePump,
        *,
        document_id: int | None = None,
        reread: Reread = Reread.CHANGES,
    ) -> None:
        """Queue an edit (None: only read back), and say whom to answer about which document."""
        self._start(reply_to)
        self.queued += 1
        self._queue.put(_Request(edit, reply_to, document_id, reread))

    def watch(self, reply_to: MessagePump, document_id: int) -> None:
        """``reply_to`` shows ``document_id`` from now on: tell it of others' changes too."""
        self._start(reply_to)
        with self._lock:
            self._watchers[id(reply_to)] = (reply_to, document_id)
        self.queued += 1
        self._queue.put(_Watch(reply_to, document_id))

    def unwatch(self, reply_to: MessagePump) -> None:
        with self._lock:
            self._watchers.pop(id(reply_to), None)

    def stop(self) -> None:
        self._queue.put(None)

    @property
    def busy(self) -> bool:
        """Some request is not answered yet (its message may still be on its way)."""
        return self.done < self.queued

    def _start(self, pump: MessagePump) -> None:
        """The worker starts with the first request (the app that asks runs it)."""
        if self._worker is None:
            self._worker = pump.app.run_worker(
                self._run, name=WORKER_GROUP, group=WORKER_GROUP, thread=True
            )

    # -- the worker thread -----------------------------------------------------------------------
    def _run(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                item = self._queue.get(timeout=self.poll_seconds)
            except queue.Empty:
                self._poll()
                continue
            if item is None:
                return
            try:
                if isinstance(item, _Watch):
                    self._seed(item)
                else:
                    self._serve(item)
            finally:
                self.done += 1

    def _serve(self, item: _Request) -> None:
        try:
            outcome = self.history.apply(item.edit) if item.edit is not None else None
            if item.document_id is None:
                if outcome is not None:
                    item.reply_to.post_message(Edited(outcome))
                return
            everything = item.reread >= Reread.EVERYTHING
            delta = self._seen.read(
                item.document_id,
                everything=item.reread >= Reread.CODINGS,
                added=outcome.added if outcome is not None else None,
                removed=outcome.removed if outcome is not None else (),
            )
            codes, coders = self._seen.codebook_and_coders() if everything else (None, None)
        except QualcodeError as exc:
            if item.document_id is not None:  # unsure what is shown: read it all next time
                self._seen.forget(item.document_id)
            item.reply_to.post_message(EditFailed(first_line(exc)))
            return
        item.reply_to.post_message(
            CodingsRead(item.document_id, delta, outcome, codes=codes, coders=coders)
        )

    def _seed(self, item: _Watch) -> None:
        """A document was opened: read all its codings, so that later looks see changes."""
        try:
            delta = self._seen.read(item.document_id, everything=True)
        except StoreUnavailable:
            return
        item.reply_to.post_message(CodingsRead(item.document_id, delta, polled=True))

    def _poll(self) -> None:
        with self._lock:
            watchers = list(self._watchers.values())
        for document_id in {doc for _, doc in watchers}:
            if not self._seen.knows(document_id):
                continue
            try:
                delta = self._seen.read(document_id)
            except StoreUnavailable:
                continue  # the server may be briefly away; the next look tries again
            if delta.codings or delta.removed:
                for pump, doc in watchers:
                    if doc == document_id:
                        pump.post_message(CodingsRead(document_id, delta, polled=True))
