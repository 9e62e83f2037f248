"""Rules that correct the sentencizer's sentence starts (character offsets) in transcripts.

spaCy's rule sentencizer starts a sentence after ``.``/``?``/``!`` and any punctuation that
follows them. Transcripts need more:

* A bracketed annotation (``[laughs]``, ``[crosstalk]``, ``(inaudible)``: brackets or
  parentheses closed on the same line) is part of a sentence, never a break inside it. One that
  follows a sentence's end stays with that sentence; the next sentence starts after it.
* ``¿`` and ``¡`` open the sentence they begin (they do not end the previous one).
* Titles and Latin abbreviations (``Dr.``, ``Mr.``, ``e.g.``), initialisms (``U.S.``) and
  decimal numbers (``2.5``) do not end a sentence.
* Chinese and Japanese sentences end at ``。！？`` (full width), which need no space after them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: A bracketed annotation: brackets or parentheses closed on the same line, not nested.
ANNOTATION = re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)")
#: Ends a sentence (including the full-width marks of Chinese and Japanese).
TERMINATORS = ".?!…。！？｡"
#: May follow a terminator and still belong to the sentence it ends.
CLOSERS = "\"'”’»」』）)]"
#: Open the sentence they begin.
OPENERS = "¿¡"
#: Chinese and Japanese sentence ends, then the closing quotes/brackets that go with them.
CJK_END = re.compile(r"[。！？｡]+[」』”’）)]*")
#: Words that are shortened before a name or an example and never end a sentence.
_SHORTENED = (
    "dr mr mrs ms mx prof st sr det sgt lt capt cpl col gen gov sen rep hon rev fr mt messrs "
    "vs cf approx viz e.g i.e"
)
ABBREVIATIONS = frozenset(_SHORTENED.split())
INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}$")
#: Characters that end a word looking back from a sentence start (besides white space).
NOT_IN_WORD = "\"'“‘(["
#: How far back the word before a sentence start is looked for.
WORD_WINDOW = 40


def refine_starts(text: str, starts: list[int]) -> list[int]:
    """The sentencizer's ``starts`` (sorted offsets, the first at the first token), corrected
    by the rules of the module docstring. Sorted, without duplicates."""
    if not starts:
        return []
    first = starts[0]
    spans = [(m.start(), m.end()) for m in ANNOTATION.finditer(text)]
    opens = [a for a, _b in spans]
    out: set[int] = {first}
    for candidate in [*starts[1:], *_cjk_starts(text)]:
        pos = _outside_annotation(text, candidate, spans, opens)
        if pos is None or pos <= first or pos >= len(text):
            continue
        if _follows_abbreviation(text, pos) or _inside_number(text, pos):
            continue
        out.add(_with_openers(text, pos))
    return sorted(out)


def _cjk_starts(text: str) -> list[int]:
    out = []
    for m in CJK_END.finditer(text):
        pos = _skip_space(text, m.end())
        if pos < len(text):
            out.append(pos)
    return out


def _outside_annotation(
    text: str, pos: int, spans: list[tuple[int, int]], opens: list[int]
) -> int | None:
    """Where a sentence starting at ``pos`` may start, given the annotations: a start inside
    one moves after it when the annotation follows a sentence's end, else it goes; a start
    right after an annotation stays only if the annotation follows a sentence's end."""
    i = bisect_right(opens, pos) - 1
    if i >= 0 and spans[i][0] < pos < spans[i][1]:
        open_at, close_at = spans[i]
        if not _ends_sentence(text, open_at):
            return None
        return _skip_space(text, close_at)
    before = _skip_space_back(text, pos)
    j = bisect_right(opens, before - 1) - 1
    if j >= 0 and spans[j][1] == before and not _ends_sentence(text, spans[j][0]):
        return None
    return pos


def _ends_sentence(text: str, pos: int) -> bool:
    """Whether the text before ``pos`` (spaces skipped) ends a sentence (or nothing precedes)."""
    i = _skip_space_back(text, pos)
    while i > 0 and text[i - 1] in CLOSERS:
        i -= 1
    return i == 0 or text[i - 1] in TERMINATORS


def _follows_abbreviation(text: str, pos: int) -> bool:
    """Whether the word before ``pos`` (spaces skipped, looking back at most
    :data:`WORD_WINDOW` characters) is an abbreviation. The word is the longest run of
    characters, neither white space nor :data:`NOT_IN_WORD`, that ends there: found by scanning
    back, as a regular-expression search per sentence start cost more than the other rules."""
    floor = max(0, pos - WORD_WINDOW)
    end = _skip_space_back(text, pos)
    if end <= floor or text[end - 1] != ".":
        return False
    start = end - 1
    while start > floor and not text[start - 1].isspace() and text[start - 1] not in NOT_IN_WORD:
        start -= 1
    word = text[start:end]
    return word[:-1].lower() in ABBREVIATIONS or bool(INITIALISM.search(word))


def _inside_number(text: str, pos: int) -> bool:
    return pos > 1 and text[pos - 1] == "." and text[pos - 2].isdigit() and text[pos].isdigit()


def _with_openers(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] in OPENERS:
        pos -= 1
    return pos


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _skip_space_back(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos
