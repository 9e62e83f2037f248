"""A non-visual widget that writes coding changes to the store, one after another.

Its owner submits jobs (functions that call ``AppContext.history``); one worker thread runs them
in order, each in its own committed transaction, then re-reads the document's codings and posts
them back with :class:`CodingWriter.Done`. The screen shows only what has been committed.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from qualcode.coding.queries import (
    CodeEntry,
    CodingInfo,
    codebook_entries,
    coder_names,
    document_codings,
)
from qualcode.errors import QualcodeError
from qualcode.store.db import Project

#: what was done (for the status line) and the coding to focus afterwards; None: nothing done
JobResult = tuple[str, int | None] | None
Job = Callable[[], JobResult]


@dataclass(frozen=True)
class _Queued:
    job: Job
    document_id: int
    full: bool


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
            codings: list[CodingInfo],
            note: str | None,
            focus_id: int | None,
            codes: list[CodeEntry] | None,
            coders: list[str] | None,
        ) -> None:
            super().__init__()
            self.document_id = document_id
            self.codings = codings
            self.note = note
            self.focus_id = focus_id
            self.codes = codes
            self.coders = coders

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, project: Project, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self._jobs: queue.Queue[_Queued | None] = queue.Queue()

    def on_mount(self) -> None:
        self._run()

    def on_unmount(self) -> None:
        self._jobs.put(None)

    def submit(self, job: Job, document_id: int, *, full: bool = False) -> None:
        """Queue a change; ``full`` also re-reads the codebook and the coders."""
        self._jobs.put(_Queued(job, document_id, full))

    @work(thread=True, group="coding-writer")
    def _run(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                item = self._jobs.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is None:
                return
            try:
                result = item.job()
                with self.project.session() as s:
                    codings = document_codings(s, item.document_id)
                    codes = codebook_entries(s) if item.full else None
                    coders = coder_names(s) if item.full else None
            except (QualcodeError, SQLAlchemyError) as exc:
                self.post_message(self.Failed(first_line(exc)))
                continue
            note, focus = result if result is not None else (None, None)
            self.post_message(self.Done(item.document_id, codings, note, focus, codes, coders))
