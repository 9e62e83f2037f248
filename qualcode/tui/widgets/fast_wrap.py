"""Wrapping a long transcript for the TextArea, faster where the text allows.

Textual's ``WrappedDocument.wrap`` measures every line cell by cell, with a list entry per
character for tab stops. Transcripts are mostly ASCII without tabs, where a character is one
cell: for such lines the same break positions are found from the word chunks' lengths alone
(about three times faster on a 50,000-word transcript). Other lines go through Textual's own
``compute_wrap_offsets``. The result is stored exactly as ``WrappedDocument.wrap`` stores it.
"""

from __future__ import annotations

import re

from textual._wrap import compute_wrap_offsets
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths

_CHUNK = re.compile(r"\S+\s*|\s+")  # as textual._wrap.chunks


def ascii_wrap_offsets(text: str, width: int) -> list[int]:
    """``compute_wrap_offsets(text, width, tab_size)`` for ASCII text without tabs."""
    offsets: list[int] = []
    append = offsets.append
    cell = 0
    for match in _CHUNK.finditer(text):
        start, end = match.span()
        size = end - start
        if width - cell >= size:
            cell += size
        elif size > width:  # a word longer than a line: folded into pieces of `width`
            while True:
                if start:
                    append(start)
                if end - start <= width:
                    cell = end - start
                    break
                start += width
        elif cell and start:
            append(start)
            cell = size
    return offsets


def wrap_document(wrapped: WrappedDocument, width: int, tab_width: int) -> None:
    """What ``wrapped.wrap(width, tab_width)`` does, with the fast path for plain lines."""
    wrapped._width = width
    if tab_width:
        wrapped._tab_width = tab_width
    tab_width = wrapped._tab_width
    wrap_offsets: list[list[int]] = []
    line_info: list[tuple[int, int]] = []
    line_offsets: list[list[int]] = []
    tab_widths: list[list[int]] = []
    y = 0
    for index, line in enumerate(wrapped.document.lines):
        if "\t" not in line and line.isascii():
            offsets = ascii_wrap_offsets(line, width) if width else []
            tab_widths.append([0] if line else [])
        else:
            sections = get_tab_widths(line, tab_width)
            offsets = (
                compute_wrap_offsets(
                    line, width, tab_size=tab_width, precomputed_tab_sections=sections
                )
                if width
                else []
            )
            tab_widths.append([w for _, w in sections])
        wrap_offsets.append(offsets)
        rows = len(offsets) + 1
        line_info.extend((index, section) for section in range(rows))
        line_offsets.append(list(range(y, y + rows)))
        y += rows
    wrapped._wrap_offsets = wrap_offsets
    wrapped._offset_to_line_info = line_info
    wrapped._line_index_to_offsets = line_offsets
    wrapped._tab_width_cache = tab_widths
