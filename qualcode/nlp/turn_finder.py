"""Speaker turns and paragraphs in a transcript's text.

Turns are found by their labels: ``NAME:``, ``Q:``, ``A:``, ``Interviewer:``, ``P07:`` at the
start of a line (optionally after a ``[00:01:02]`` timestamp, or with one before the colon as
Rev writes ``Interviewer (00:00:03):``), or a speaker's name alone on its own line before the
turn (as Otter and Word transcripts do). Names may start with any capital letter
(``Ángela Núñez:``); the colon may be the full-width ``：`` of Chinese and Japanese
transcripts (``采访者：``), where a name of up to eight CJK characters is a label too. The labels
are configurable.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from qualcode.errors import QualcodeError

#: Labels that always count as speakers, even alone on a line or used only once.
KNOWN_LABELS = (
    r"Q|A|I|R|Interviewer|Interviewee|Moderator|Facilitator|Respondent|Participant"
    r"|P\s?\d{1,3}|Participant\s?\d{1,3}|Speaker\s?\d{1,3}|Interviewer\s?\d{1,3}"
    r"|采访者|访谈者|受访者|被访者|主持人|问|答|インタビュアー|質問者|回答者|聞き手|話し手"
)


def _capitals() -> str:
    """A character class body holding every capital (and title-case) letter of the BMP."""
    runs: list[tuple[int, int]] = []
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isupper() or ch.istitle():
            if runs and runs[-1][1] == cp - 1:
                runs[-1] = (runs[-1][0], cp)
            else:
                runs.append((cp, cp))
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


CAPITAL = f"[{_capitals()}]"
#: A person's name: one to four capitalised words (``Dr. Ann Lee``, ``JANE DOE``, ``Ángela``).
NAME = rf"(?:{CAPITAL}[\w'’.\-]*)(?:\s+{CAPITAL}[\w'’.\-]*){{0,3}}"
#: A name in Chinese or Japanese script, before a colon on the turn's own line only.
CJK_NAME = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,8}"
TIMESTAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?)"
#: The colon after a label: ASCII (then a space) or full width (a space optional).
COLON = r"(?::[ \t]+|：[ \t]*)"


@dataclass
class TurnRules:
    """Which labels start a speaker turn. ``extra`` adds regular expressions for labels."""

    extra: list[str] = field(default_factory=list)
    allow_names: bool = True
    #: A label alone on a line must recur this often to count (unless it is a known label).
    standalone_min_count: int = 2

    def __post_init__(self) -> None:
        """An ``extra`` label that is no regular expression, or that breaks the label pattern
        it joins (a named group, say), is refused here, before any text is read."""
        for label in self.extra:
            try:
                re.compile(label)
            except re.error as exc:
                raise QualcodeError(
                    f"--turn-label {label!r} is not a regular expression: {exc}"
                ) from None
        try:
            _compile(self)
        except re.error as exc:
            shown = ", ".join(repr(label) for label in self.extra)
            raise QualcodeError(f"--turn-label {shown} cannot be used as a label: {exc}") from None

    def label_pattern(self) -> str:
        parts = [KNOWN_LABELS, *self.extra]
        if self.allow_names:
            parts.append(NAME)
        return "|".join(f"(?:{p})" for p in parts)


@dataclass(frozen=True)
class LabelledTurn:
    """A turn as its label marks it (:mod:`qualcode.nlp.turns` adds the speaker's role)."""

    start: int  # start of the label
    end: int  # end of the turn's text (exclusive, trailing blank lines excluded)
    body_start: int  # start of the spoken text after the label
    speaker: str


def _compile(rules: TurnRules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    label = rules.label_pattern()
    inline_label = f"{label}|(?:{CJK_NAME})" if rules.allow_names else label
    inline = re.compile(
        rf"[ \t]*(?:{TIMESTAMP}[ \t]*)?(?P<label>{inline_label})[ \t]*(?:{TIMESTAMP}[ \t]*)?"
        rf"{COLON}(?=\S)"
    )
    alone = re.compile(
        rf"[ \t]*(?:{TIMESTAMP}[ \t]*)?(?P<label>{label})[ \t]*(?:{TIMESTAMP}[ \t]*)?[:：]?"
        rf"[ \t]*(?:{TIMESTAMP})?[ \t]*"
    )
    known = re.compile(rf"^(?:{KNOWN_LABELS}|{'|'.join(rules.extra) or '(?!)'})$")
    return inline, alone, known


def find_turns(text: str, rules: TurnRules | None = None) -> list[LabelledTurn]:
    """Speaker turns in order. Text before the first label belongs to no turn."""
    rules = rules or TurnRules()
    inline, alone, known = _compile(rules)
    lines = text.split("\n")
    offsets = [0] * len(lines)
    for n in range(1, len(lines)):
        offsets[n] = offsets[n - 1] + len(lines[n - 1]) + 1
    starts: list[tuple[int, int, str]] = []  # (label start, body start, speaker)
    standalone: list[tuple[int, int, str]] = []
    for n, line in enumerate(lines):
        if not line or line[0] in "\"'(-*#":
            continue
        m = inline.match(line)
        if m:
            starts.append((offsets[n] + m.start("label"), offsets[n] + m.end(), _clean(m["label"])))
            continue
        m = alone.fullmatch(line)
        if m and n + 1 < len(lines) and lines[n + 1].strip():
            body = _skip_newlines(text, offsets[n] + len(line))
            standalone.append((offsets[n] + m.start("label"), body, _clean(m["label"])))
    counts = Counter(speaker for _s, _b, speaker in standalone)
    for label_start, body, speaker in standalone:
        if speaker.endswith((".", "!", "?")) and not known.match(speaker):
            continue
        if known.match(speaker) or counts[speaker] >= rules.standalone_min_count:
            starts.append((label_start, body, speaker))
    starts.sort()
    turns: list[LabelledTurn] = []
    for i, (label_start, body_start, speaker) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        while end > body_start and text[end - 1].isspace():
            end -= 1
        line_start = text.rfind("\n", 0, label_start) + 1
        if end > body_start:
            turns.append(LabelledTurn(line_start, end, body_start, speaker))
    return turns


def _clean(label: str) -> str:
    return " ".join(label.split())


def _skip_newlines(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in "\n \t":
        pos += 1
    return pos


def find_paragraphs(text: str, turns: list[LabelledTurn]) -> list[tuple[int, int]]:
    """Blocks of text separated by blank lines; a new turn always starts a new paragraph."""
    cuts = sorted({t.start for t in turns})
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start = m.start()
        block_end = m.end()
        first = bisect_right(cuts, start)
        last = bisect_left(cuts, block_end, lo=first)
        for cut in [*cuts[first:last], block_end]:
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
