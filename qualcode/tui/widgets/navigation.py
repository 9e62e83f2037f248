"""Where the cursor can go in a transcript: sentences, speaker turns, search matches, and the
speaker filter that limits all of them (plain Python, no Textual)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TurnStop:
    """A speaker turn: ``body`` is where the words start, after the ``Speaker:`` label."""

    start: int
    body: int
    end: int
    speaker: str | None


def gaps(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The parts of ``[0, length)`` that no span covers."""
    out = []
    pos = 0
    for start, end in sorted(spans):
        if start > pos:
            out.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        out.append((pos, length))
    return out


def next_stop(stops: Sequence[int], here: int, direction: int) -> int | None:
    """The first stop after ``here`` (direction > 0) or before it (direction < 0)."""
    if direction > 0:
        i = bisect.bisect_right(stops, here)
        return stops[i] if i < len(stops) else None
    i = bisect.bisect_left(stops, here)
    return stops[i - 1] if i > 0 else None


class TextNavigator:
    """Sentences and turns of one text, optionally limited to one speaker's turns."""

    def __init__(
        self,
        text: str = "",
        sentences: Sequence[tuple[int, int]] = (),
        turns: Sequence[TurnStop] = (),
    ) -> None:
        self.text = text
        self.all_sentences = sorted(sentences)
        self.turns = sorted(turns, key=lambda t: t.start)
        self.speaker: str | None = None
        self._allowed: list[tuple[int, int]] | None = None
        self._update()

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns if t.speaker))

    def set_speaker(self, speaker: str | None) -> None:
        """Limit moves, selections and search to one speaker's turns (None: everybody)."""
        self.speaker = speaker
        if speaker is None:
            self._allowed = None
        else:
            self._allowed = [(t.start, t.end) for t in self.turns if t.speaker == speaker]
        self._update()

    def cycle_speaker(self) -> str | None:
        """Everybody, then each speaker in order of appearance, then everybody again."""
        order: list[str | None] = [None, *self.speakers]
        current = order.index(self.speaker) if self.speaker in order else 0
        self.set_speaker(order[(current + 1) % len(order)])
        return self.speaker

    def dimmed(self) -> list[tuple[int, int]]:
        """What the speaker filter hides: everything outside the speaker's turns."""
        return [] if self._allowed is None else gaps(self._allowed, len(self.text))

    def allows(self, offset: int) -> bool:
        if self._allowed is None:
            return True
        return any(a <= offset < b for a, b in self._allowed)

    def _update(self) -> None:
        self.sentences = [s for s in self.all_sentences if self.allows(s[0])]
        self.sentence_starts = [s for s, _ in self.sentences]
        self.sentence_ends = sorted(e for _, e in self.sentences)
        self.visible_turns = [t for t in self.turns if self.allows(t.start)]
        self.turn_starts = [t.body for t in self.visible_turns]

    # -- spans to select -------------------------------------------------------------------------
    def sentence_span(self, here: int, selected: tuple[int, int] | None) -> tuple[int, int] | None:
        """The sentence at (or after) ``here``. With a selection of whole sentences: the
        selection plus the next sentence, or, when that one is in the next speaker turn, that
        sentence alone (a selection never runs into another turn); with any other selection
        (a search match, a few words): the whole sentences it touches."""
        if selected is not None:
            first, last = self._sentence_at(selected[0]), self._sentence_at(selected[1] - 1)
            if first is not None and last is not None:
                whole = (self.sentences[first][0], self.sentences[last][1])
                if whole != tuple(selected):
                    return whole
            i = bisect.bisect_left(self.sentence_starts, selected[1])
            if i >= len(self.sentences):
                return None
            following = self.sentences[i]
            if self._turn_index(following[0]) != self._turn_index(selected[0]):
                return following
            return selected[0], following[1]
        i = bisect.bisect_right(self.sentence_starts, here) - 1
        if i >= 0 and self.sentences[i][0] <= here < self.sentences[i][1]:
            return self.sentences[i]
        if i + 1 < len(self.sentences):
            return self.sentences[i + 1]
        return None

    def _sentence_at(self, offset: int) -> int | None:
        """The index of the sentence holding ``offset``, if any."""
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return i
        return None

    def _turn_index(self, offset: int) -> int:
        """The number of turns that start at or before ``offset`` (-1 without turns)."""
        if not self.turns:
            return -1
        return bisect.bisect_right([t.start for t in self.turns], offset)

    def turn_span(self, here: int) -> tuple[int, int] | None:
        """The words of the speaker turn at ``here`` (without its label and trailing space)."""
        for turn in self.visible_turns:
            if turn.start <= here < turn.end:
                end = turn.end
                while end > turn.body and self.text[end - 1].isspace():
                    end -= 1
                return (turn.body, end) if end > turn.body else None
        return None

    def find(self, query: str, after: int) -> tuple[tuple[int, int] | None, bool]:
        """The first match of ``query`` (any case) starting after ``after``; wraps to the top.

        Returns the match (or None) and whether the search wrapped.
        """
        query = query.strip()
        if not query:
            return None, False
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        first: tuple[int, int] | None = None
        for match in pattern.finditer(self.text):
            if not self.allows(match.start()):
                continue
            if match.start() > after:
                return match.span(), False
            if first is None:
                first = match.span()
        return first, first is not None
