"""Speaker turns and paragraphs in a transcript's text.

Turns are found by their labels: ``NAME:``, ``Q:``, ``A:``, ``Interviewer:``, ``P07:`` at the
start of a line (optionally after a ``[00:01:02]`` timestamp), or a speaker's name alone on its
own line before the turn (as Otter and Word transcripts do). The labels are configurable.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

#: Labels that always count as speakers, even alone on a line or used only once.
KNOWN_LABELS = (
    r"Q|A|I|R|Interviewer|Interviewee|Moderator|Facilitator|Respondent|Participant"
    r"|P\s?\d{1,3}|Participant\s?\d{1,3}|Speaker\s?\d{1,3}|Interviewer\s?\d{1,3}"
)
#: A person's name: one to four capitalised words (``Dr. Ann Lee``, ``JANE DOE``).
NAME = r"(?:[A-Z][\w'’.\-]*)(?:\s+[A-Z][\w'’.\-]*){0,3}"
TIMESTAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?)"


@dataclass
class TurnRules:
    """Which labels start a speaker turn. ``extra`` adds regular expressions for labels."""

    extra: list[str] = field(default_factory=list)
    allow_names: bool = True
    #: A label alone on a line must recur this often to count (unless it is a known label).
    standalone_min_count: int = 2

    def label_pattern(self) -> str:
        parts = [KNOWN_LABELS, *self.extra]
        if self.allow_names:
            parts.append(NAME)
        return "|".join(f"(?:{p})" for p in parts)


@dataclass(frozen=True)
class Turn:
    start: int  # start of the label
    end: int  # end of the turn's text (exclusive, trailing blank lines excluded)
    body_start: int  # start of the spoken text after the label
    speaker: str


def _compile(rules: TurnRules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    label = rules.label_pattern()
    inline = re.compile(
        rf"^[ \t]*(?:{TIMESTAMP}[ \t]*)?(?P<label>{label})[ \t]*:[ \t]+(?=\S)", re.M
    )
    alone = re.compile(
        rf"^[ \t]*(?:{TIMESTAMP}[ \t]*)?(?P<label>{label})[ \t]*:?[ \t]*(?:{TIMESTAMP})?[ \t]*$",
        re.M,
    )
    known = re.compile(rf"^(?:{KNOWN_LABELS}|{'|'.join(rules.extra) or '(?!)'})$")
    return inline, alone, known


def find_turns(text: str, rules: TurnRules | None = None) -> list[Turn]:
    """Speaker turns in order. Text before the first label belongs to no turn."""
    rules = rules or TurnRules()
    inline, alone, known = _compile(rules)
    starts: list[tuple[int, int, str]] = []  # (label start, body start, speaker)
    for m in inline.finditer(text):
        starts.append((m.start("label"), m.end(), _clean(m.group("label"))))
    standalone = [m for m in alone.finditer(text) if _next_line_has_text(text, m.end())]
    counts = Counter(_clean(m.group("label")) for m in standalone)
    for m in standalone:
        speaker = _clean(m.group("label"))
        if speaker.endswith((".", "!", "?")) and not known.match(speaker):
            continue
        if known.match(speaker) or counts[speaker] >= rules.standalone_min_count:
            body = _skip_newlines(text, m.end())
            starts.append((m.start("label"), body, speaker))
    starts.sort()
    turns: list[Turn] = []
    for i, (label_start, body_start, speaker) in enumerate(starts):
        limit = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        end = limit
        while end > body_start and text[end - 1].isspace():
            end -= 1
        line_start = text.rfind("\n", 0, label_start) + 1
        if end > body_start:
            turns.append(Turn(line_start, end, body_start, speaker))
    return turns


def _clean(label: str) -> str:
    return " ".join(label.split())


def _skip_newlines(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in "\n \t":
        pos += 1
    return pos


def _next_line_has_text(text: str, pos: int) -> bool:
    nl = text.find("\n", pos)
    if nl == -1:
        return False
    nxt = text.find("\n", nl + 1)
    line = text[nl + 1 : nxt if nxt != -1 else len(text)]
    return bool(line.strip())


def find_paragraphs(text: str, turns: list[Turn]) -> list[tuple[int, int]]:
    """Blocks of text separated by blank lines; a new turn always starts a new paragraph."""
    cuts = {t.start for t in turns}
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start = m.start()
        block_end = m.end()
        inner = sorted(c for c in cuts if start < c < block_end)
        for cut in [*inner, block_end]:
            seg_start, seg_end = _trim(text, start, cut)
            if seg_end > seg_start:
                spans.append((seg_start, seg_end))
            start = cut
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
