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
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, overload

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from qualcode.store.models import Document, DocumentText

#: a document with more passages than this to read is read whole, once, and sliced in Python:
#: SQL ``substr`` reads the whole value again for each passage (SQLite's overflow pages,
#: PostgreSQL's compressed TOAST alike)
FEW = 8


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


@lru_cache(maxsize=FEW)
def _substr_statement(n: int) -> Select[Any]:
    """``n`` passages of one document's text, as bound parameters ``doc``, ``a0``/``n0``...: built
    once per ``n`` (building the SQL expressions anew for every document took as long as
    running them)."""
    columns = [
        func.substr(DocumentText.text, bindparam(f"a{i}"), bindparam(f"n{i}")) for i in range(n)
    ]
    return select(*columns).where(DocumentText.document_id == bindparam("doc"))


def read_passages(
    s: Session, spans: Mapping[int, Iterable[tuple[int, int]]]
) -> dict[int, Passages]:
    """Document id -> the passages of its text under ``spans[document id]`` (clipped to the
    text). A few passages are read with SQL ``substr``; a document with many is read once and
    only its passages are kept, so memory holds one text at most."""
    lengths = dict(
        s.execute(select(Document.id, Document.length).where(Document.id.in_(list(spans)))).all()
    )
    out: dict[int, Passages] = {}
    for doc_id, wanted in spans.items():
        length = lengths[doc_id]
        parts = merge_spans((max(0, a), min(length, b)) for a, b in wanted)
        parts = [(a, b) for a, b in parts if a < b]
        if len(parts) > FEW:  # one read of the text beats many: substr reads it each time
            body = s.scalars(select(DocumentText.text).where(DocumentText.document_id == doc_id))
            whole = body.one()
            texts = [whole[a:b] for a, b in parts]
            del whole
        elif parts:
            params: dict[str, int] = {"doc": doc_id}
            for i, (a, b) in enumerate(parts):
                params[f"a{i}"], params[f"n{i}"] = a + 1, b - a
            texts = list(s.execute(_substr_statement(len(parts)), params).one())
        else:
            texts = []
        out[doc_id] = Passages(length, zip((a for a, _ in parts), texts, strict=True))
    return out
