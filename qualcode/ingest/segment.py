"""Cutting a transcript into segments: speaker turns, paragraphs and sentences."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar

from qualcode.ingest.readers import RawTranscript
from qualcode.nlp.sentences import cut_sentences, sentence_starts
from qualcode.nlp.turn_finder import LabelledTurn, TurnRules, find_paragraphs, find_turns

T = TypeVar("T")

#: The rules that cut segments, as a number stored in the project's settings
#: (:data:`SEGMENTER_SETTING`). Raise it whenever turns, paragraphs or sentences are cut
#: differently: projects cut by older rules are re-cut when they are next opened
#: (:mod:`qualcode.ingest.resegment`). 1 (or no setting): qualcode before the setting existed.
#: 2: bracketed annotations, ¿/¡, abbreviations, CJK sentence ends; Rev-style, accented and
#: full-width-colon turn labels.
SEGMENTER_VERSION = 2
SEGMENTER_SETTING = "segmenter_version"


class SegmentRow(NamedTuple):
    """One segment to store. A named tuple, not a dataclass: an import builds hundreds per
    document (a frozen dataclass took 1.7 ms of a document's ~18 ms import to build them)."""

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


def _speaker_at(turns: list[LabelledTurn], starts: list[int], pos: int) -> str | None:
    """The speaker of the turn holding ``pos`` (turns are sorted and do not overlap)."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < turns[i].end:
        return turns[i].speaker
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
    starts = [t.start for t in turns]
    for start, end in find_paragraphs(text, turns):
        speaker = _speaker_at(turns, starts, start)
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
    """Stream transcripts through the sentence pipeline; yield all segments of each.

    Each transcript is parsed once as a whole; its sentences are then cut at the edges of the
    spoken units (paragraph text without the speaker label), so that no sentence crosses a turn.
    """

    def texts() -> Iterator[tuple[str, tuple[RawTranscript, T]]]:
        for raw, ctx in items:
            yield raw.text, (raw, ctx)

    for starts, (raw, ctx) in sentence_starts(texts()):
        rows, units = structure(raw, rules)
        for start, end, speaker in units:
            rows.extend(
                SegmentRow("sentence", a, b, speaker)
                for a, b in cut_sentences(raw.text, starts, start, end)
            )
        rows.sort(key=lambda r: (r.start, r.kind))
        yield rows, ctx
