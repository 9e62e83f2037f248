"""Reading parts of documents' texts without reading the texts into Python.

A document's text can be hundreds of KB; most work needs a few passages of it (what a coding
covers, the words around it). :func:`read_passages` reads the passages of many documents,
each document's spans merged first, and returns each document as :class:`Passages`, which
slices like the text wherever a passage covers.

Offsets are code points, as everywhere: SQL ``substr`` counts characters on SQLite and on
PostgreSQL alike.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar, overload

from sqlalchemy import Connection, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from qualcode.store.models import Document, DocumentText

#: a document with more passages than this to read is read whole, once, and sliced in Python:
#: SQL ``substr`` reads the whole value again for each passage (SQLite's overflow pages,
#: PostgreSQL's compressed TOAST alike)
FEW = 8
#: a text this short is read whole, however few its passages: ``substr`` loads the whole value
#: too, and one row per document beats one per passage (counting codes in 1,000 documents of
#: 1,000 words read its passages in half the time)
SHORT = 10_000
#: passages per ``substr`` statement (and documents per ``IN`` list, well under SQLite's 32,766
#: and PostgreSQL's 65,535 bound parameters)
SUBSTR_BATCH = 1000
#: whole texts read in one statement: about this many code points together
TEXTS_AT_ONCE = 4_000_000

_T = TypeVar("_T")


class Passages:
    """Some passages of one document's text at their offsets, sliced like the text itself.

    ``len()`` is the whole text's length. A slice or index must fall inside one passage
    (a ``KeyError`` says it does not): :func:`read_passages` merges touching spans, so any span
    inside the spans asked for is inside one passage.
    """

    def __init__(self, length: int, parts: Iterable[tuple[int, str]]) -> None:
        self.length = length
        ordered = sorted(parts)
        self._starts = [a for a, _ in ordered]
        self._texts = [t for _, t in ordered]

    def __len__(self) -> int:
        return self.length

    def _part(self, start: int, end: int) -> tuple[int, str]:
        i = bisect_right(self._starts, start) - 1
        if i >= 0 and end <= self._starts[i] + len(self._texts[i]):
            return self._starts[i], self._texts[i]
        if start == end:
            return start, ""
        raise KeyError(f"{start}-{end} is not in the passages read")

    @overload
    def __getitem__(self, key: int) -> str: ...
    @overload
    def __getitem__(self, key: slice) -> str: ...
    def __getitem__(self, key: int | slice) -> str:
        if isinstance(key, int):
            at = key + self.length if key < 0 else key
            offset, text = self._part(at, at + 1)
            return text[at - offset]
        start, end, step = key.indices(self.length)
        if step != 1:
            raise ValueError("passages slice with step 1 only")
        end = max(start, end)
        offset, text = self._part(start, end)
        return text[start - offset : end - offset]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of spans as sorted, disjoint spans (touching spans are joined)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _batches(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """``items`` in runs of ``size`` at most (a statement's bound parameters stay under SQLite's
    and PostgreSQL's limits)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


#: passages of many documents' texts: rows (document id, 1-based start, text) of the VALUES
#: rows (document id, 1-based start, length) put in ``{rows}``
_SUBSTR = (
    "WITH wanted(doc, a, n) AS (VALUES {rows}) "
    "SELECT wanted.doc, wanted.a, substr(t.text, wanted.a, wanted.n) "
    f"FROM wanted JOIN {DocumentText.__tablename__} AS t ON t.document_id = wanted.doc"
)


def _substr_rows(
    conn: Connection, parts: Sequence[tuple[int, int, int]]
) -> Iterator[tuple[int, int, str]]:
    """(document id, start, text) of each (document id, start, end), read with SQL ``substr``
    in statements of :data:`SUBSTR_BATCH` passages. The offsets are written into the statement
    as integer literals: no bound-parameter limit applies, and the statement is parsed, not
    built and compiled as an expression (which took longer than reading hundreds of passages);
    nor is it cached, as it is never the same twice."""
    for batch in _batches(parts, SUBSTR_BATCH):
        rows = ", ".join(f"({int(d)}, {int(a) + 1}, {int(b) - int(a)})" for d, a, b in batch)
        statement = sql_text(_SUBSTR.format(rows=rows))
        result = conn.execute(statement, execution_options={"compiled_cache": None})
        for doc_id, a, passage in result:
            yield doc_id, a - 1, passage


def _whole_texts(
    conn: Connection, doc_ids: Sequence[int], lengths: Mapping[int, int]
) -> Iterator[tuple[int, str]]:
    """(document id, text) of each document, read in statements of about
    :data:`TEXTS_AT_ONCE` code points (a longer text alone)."""
    group: list[int] = []
    size = 0
    for i, doc_id in enumerate(doc_ids):
        group.append(doc_id)
        size += lengths[doc_id]
        following = doc_ids[i + 1] if i + 1 < len(doc_ids) else None
        if (
            following is None
            or size + lengths[following] > TEXTS_AT_ONCE
            or len(group) == SUBSTR_BATCH
        ):
            statement = select(DocumentText.document_id, DocumentText.text)
            yield from conn.execute(statement.where(DocumentText.document_id.in_(group)))
            group, size = [], 0


def read_passages(
    s: Session, spans: Mapping[int, Iterable[tuple[int, int]]]
) -> dict[int, Passages]:
    """Document id -> the passages of its text under ``spans[document id]`` (clipped to the
    text; a document that does not exist is left out), in a few statements however many
    documents. Passages are read with SQL ``substr``, many documents' in one statement; a text
    with more than :data:`FEW` passages, or of :data:`SHORT` code points at most, is read whole
    and only its passages are kept. Memory holds about :data:`TEXTS_AT_ONCE` code points of
    whole texts at most."""
    if s.autoflush:  # as the session's own queries do: Core reads below do not
        s.flush()
    conn = s.connection()
    wanted = list(spans.items())
    lengths: dict[int, int] = {}
    for ids in _batches([doc_id for doc_id, _ in wanted], SUBSTR_BATCH):
        rows = conn.execute(select(Document.id, Document.length).where(Document.id.in_(ids)))
        lengths.update((doc_id, length) for doc_id, length in rows)
    parts: dict[int, list[tuple[int, int]]] = {}
    by_substr: list[tuple[int, int, int]] = []
    whole: list[int] = []
    for doc_id, asked in wanted:
        if doc_id not in lengths:
            continue
        length = lengths[doc_id]
        merged = merge_spans((max(0, a), min(length, b)) for a, b in asked)
        parts[doc_id] = [(a, b) for a, b in merged if a < b]
        if len(parts[doc_id]) > FEW or (parts[doc_id] and length <= SHORT):
            whole.append(doc_id)
        else:
            by_substr.extend((doc_id, a, b) for a, b in parts[doc_id])
    read: dict[int, dict[int, str]] = {doc_id: {} for doc_id in parts}
    for doc_id, a, passage in _substr_rows(conn, by_substr):
        read[doc_id][a] = passage
    for doc_id, text in _whole_texts(conn, whole, lengths):
        read[doc_id] = {a: text[a:b] for a, b in parts[doc_id]}
        del text
    return {doc_id: Passages(lengths[doc_id], read[doc_id].items()) for doc_id in parts}
