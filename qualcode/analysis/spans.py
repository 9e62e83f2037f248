"""Character spans: unions, overlaps and the words they cover.

Words are runs of letters and digits, joined by apostrophes or hyphens ("don't", "sixty-five"
are one word each). A word cut by a span's edge counts once, as the part inside the span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"\w+(?:['’\-]\w+)*")

#: a character span ``[start, end)`` in a document's text (code-point offsets)
Span = tuple[int, int]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The union of spans as sorted, disjoint spans (touching spans are joined)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def words_covered(text: str, spans: Iterable[Span]) -> int:
    """Words in the union of ``spans`` over ``text``: overlapping spans never count a word
    twice, and adjacent spans that split a word count it once."""
    return sum(count_words(text[start:end]) for start, end in merge_spans(spans))


def overlaps(a: Span, b: Span) -> bool:
    """Do two half-open spans share at least one character?"""
    return a[0] < b[1] and b[0] < a[1]
