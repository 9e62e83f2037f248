"""Offsets, lines and per-line highlight runs for the transcript view (plain Python, no Textual).

A document's text is shown line by line (lines end at ``\\n``). Codings are spans of code-point
offsets that may cross lines and overlap. An interval sweep turns them into *runs*: pieces of one
line with the set of tags (code ids) active there. Runs are computed once for the whole text and
then again only for the lines a change touches.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

#: (start column, end column, tags active there); columns are relative to the line.
Run = tuple[int, int, tuple[int, ...]]
#: (start offset, end offset, tag): a span of the text, end exclusive.
Interval = tuple[int, int, int]

#: Characters that ``str.splitlines`` treats as line breaks, other than ``\n``: the transcript
#: view shows them as spaces so that its lines are exactly the text's ``\n``-separated lines.
_OTHER_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def displayable(text: str) -> str:
    """The text with every line break but ``\\n`` replaced by a space (same length)."""
    return text.translate(_OTHER_BREAKS)


class LineIndex:
    """Converts between code-point offsets and (row, column) locations of a text."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    @property
    def rows(self) -> int:
        return len(self.starts)

    def row_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        row = self.row_of(offset)
        return row, offset - self.starts[row]

    def offset(self, row: int, column: int) -> int:
        row = max(0, min(row, len(self.starts) - 1))
        start, end = self.line_span(row)
        return start + max(0, min(column, end - start))

    def line_span(self, row: int) -> tuple[int, int]:
        """Start and end offset of a line, the ``\\n`` excluded."""
        start = self.starts[row]
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else self.length
        return start, end

    def rows_between(self, start: int, end: int) -> range:
        """The rows that the span ``[start, end)`` touches (at least the row of ``start``)."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return range(first, last + 1)


def sweep(
    intervals: Iterable[Interval], lo: int, hi: int
) -> list[tuple[int, int, tuple[int, ...]]]:
    """Cut ``[lo, hi)`` into runs where the same tags are active; runs without tags are left out.

    Tags are kept with their multiplicity (two codings of one code give the tag twice), sorted.
    """
    events: list[tuple[int, int, int]] = []
    for start, end, tag in intervals:
        start, end = max(start, lo), min(end, hi)
        if start < end:
            events.append((start, 1, tag))
            events.append((end, 0, tag))
    events.sort()
    active: dict[int, int] = {}  # tag -> how many of its intervals are open
    tags: tuple[int, ...] = ()
    changed = False
    runs: list[tuple[int, int, tuple[int, ...]]] = []
    prev = lo
    for pos, is_start, tag in events:
        if pos > prev and active:
            if changed:  # the tags tuple is rebuilt only when the open set changed
                tags = tuple(sorted(t for t, n in active.items() for _ in range(n)))
                changed = False
            runs.append((prev, pos, tags))
        n = active.get(tag, 0) + (1 if is_start else -1)
        if n:
            active[tag] = n
        else:
            del active[tag]
        changed = True
        prev = pos
    return runs


def split_rows(
    index: LineIndex, runs: Iterable[tuple[int, int, tuple[int, ...]]]
) -> dict[int, list[Run]]:
    """Cut text runs at line ends; columns become line-relative."""
    out: dict[int, list[Run]] = {}
    for start, end, tags in runs:
        for row in index.rows_between(start, end):
            line_start, line_end = index.line_span(row)
            a, b = max(start, line_start), min(end, line_end)
            if a < b:
                out.setdefault(row, []).append((a - line_start, b - line_start, tags))
    return out


def row_runs(index: LineIndex, intervals: Iterable[Interval]) -> dict[int, list[Run]]:
    """Per-line runs for a whole text."""
    return split_rows(index, sweep(intervals, 0, index.length))


class HighlightMap:
    """Per-line runs of a changing set of keyed intervals (coding id -> span and code)."""

    def __init__(self, index: LineIndex) -> None:
        self.index = index
        self.intervals: dict[int, Interval] = {}
        self._rows: dict[int, list[Run]] = {}

    def runs(self, row: int) -> list[Run]:
        return self._rows.get(row, [])

    def reset(self, intervals: Mapping[int, Interval]) -> None:
        """Compute every line's runs from scratch."""
        self.intervals = dict(intervals)
        self._rows = row_runs(self.index, self.intervals.values())

    def update(self, intervals: Mapping[int, Interval]) -> set[int]:
        """Move to a new set of intervals; recompute and return only the rows that changed."""
        old = self.intervals
        spans = [
            (old.get(k), intervals.get(k))
            for k in old.keys() | intervals.keys()
            if old.get(k) != intervals.get(k)
        ]
        self.intervals = dict(intervals)
        return self._recompute(spans)

    def change(self, shown: Mapping[int, Interval], gone: Iterable[int]) -> set[int]:
        """Add or replace ``shown`` and drop ``gone``; returns the rows that changed."""
        spans: list[tuple[Interval | None, Interval | None]] = []
        for key in gone:
            spans.append((self.intervals.pop(key, None), None))
        for key, span in shown.items():
            spans.append((self.intervals.get(key), span))
            self.intervals[key] = span
        return self._recompute([(a, b) for a, b in spans if a != b])

    def _recompute(self, spans: Iterable[tuple[Interval | None, Interval | None]]) -> set[int]:
        """Recompute the runs of every row an old or new span touches; returns those rows."""
        rows: set[int] = set()
        for pair in spans:
            for span in pair:
                if span is not None:
                    rows.update(self.index.rows_between(span[0], span[1]))
        for first, last in _blocks(sorted(rows)):
            lo = self.index.starts[first]
            hi = self.index.line_span(last)[1]
            touching = [iv for iv in self.intervals.values() if iv[0] < hi and iv[1] > lo]
            fresh = split_rows(self.index, sweep(touching, lo, hi))
            for row in range(first, last + 1):
                if row in fresh:
                    self._rows[row] = fresh[row]
                else:
                    self._rows.pop(row, None)
        return rows


def _blocks(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of row numbers as (first, last) pairs."""
    blocks: list[tuple[int, int]] = []
    for row in rows:
        if blocks and row == blocks[-1][1] + 1:
            blocks[-1] = (blocks[-1][0], row)
        else:
            blocks.append((row, row))
    return blocks
