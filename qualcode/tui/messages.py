"""Messages that screens and widgets post upwards; the app or screen that owns the state acts."""

from __future__ import annotations

from textual.message import Message


class OpenDocument(Message):
    """Open a document in the coding screen, optionally selecting ``[start, end)``."""

    def __init__(self, document_id: int, start: int | None = None, end: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.start = start
        self.end = end


class CodingsChanged(Message):
    """The store's codings changed (added, removed, undone); views should refresh."""

    def __init__(self, document_ids: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.document_ids = document_ids


class CodebookChanged(Message):
    """Codes were added, renamed, moved, recoloured, re-keyed or merged."""
