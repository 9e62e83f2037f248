"""Cutting a transcript into segments: speaker turns, paragraphs and sentences."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from qualcode.ingest.readers import RawTranscript
from qualcode.ingest.turns import Turn, TurnRules, find_paragraphs, find_turns
from qualcode.nlp.sentences import sentence_spans

T = TypeVar("T")


@dataclass(frozen=True)
class SegmentRow:
    kind: str
    start: int
    end: int
    speaker: str | None = None
    time_start: float | None = None
    time_end: float | None = None

    def as_dict(self, document_id: int) -> dict[str, object]:
        return {
            "document_id": document_id,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "time_start": self.time_start,
            "time_end": self.time_end,
        }


def _speaker_at(turns: list[Turn], pos: int) -> str | None:
    for turn in turns:
        if turn.start <= pos < turn.end:
            return turn.speaker
    return None


def structure(
    raw: RawTranscript, rules: TurnRules | None = None
) -> tuple[list[SegmentRow], list[tuple[int, int, str | None]]]:
    """Turns, paragraphs and cues of one transcript, plus the sentence units to split.

    Returns (segments, units): ``units`` are (start, end, speaker) ranges of spoken text
    (a paragraph without its speaker label) that the sentence splitter works on.
    """
    text = raw.text
    turns = find_turns(text, rules)
    rows = [SegmentRow("turn", t.start, t.end, t.speaker) for t in turns]
    units: list[tuple[int, int, str | None]] = []
    body_of = {t.start: t.body_start for t in turns}
    for start, end in find_paragraphs(text, turns):
        speaker = _speaker_at(turns, start)
        rows.append(SegmentRow("paragraph", start, end, speaker))
        body = body_of.get(start, start)
        if body < end:
            units.append((body, end, speaker))
    rows.extend(
        SegmentRow("cue", c.start, c.end, c.speaker, c.time_start, c.time_end) for c in raw.cues
    )
    return rows, units


def with_sentences(
    items: Iterable[tuple[RawTranscript, T]], rules: TurnRules | None = None
) -> Iterator[tuple[list[SegmentRow], T]]:
    """Stream transcripts through the sentence pipeline; yield all segments of each."""

    def units() -> Iterator[tuple[str, tuple[int, int, str | None, int, bool]]]:
        # Every transcript yields at least its marker unit, so results come back in order.
        for index, (raw, _ctx) in enumerate(items):
            rows, spans = structure(raw, rules)
            pending[index] = (rows, _ctx, len(spans))
            if not spans:
                yield "", (0, 0, None, index, True)
            for n, (start, end, speaker) in enumerate(spans):
                yield raw.text[start:end], (start, end, speaker, index, n == len(spans) - 1)

    pending: dict[int, tuple[list[SegmentRow], T, int]] = {}
    for spans, (offset, _end, speaker, index, last) in sentence_spans(units()):
        rows = pending[index][0]
        rows.extend(SegmentRow("sentence", offset + a, offset + b, speaker) for a, b in spans)
        if last:
            rows, ctx, _n = pending.pop(index)
            rows.sort(key=lambda r: (r.start, r.kind))
            yield rows, ctx
