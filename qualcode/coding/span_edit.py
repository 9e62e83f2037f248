"""Moving over and trimming a span of text: where a turn's words begin, word steps, and the
span a coding gets when one of its edges moves by a word."""

from __future__ import annotations

from qualcode.errors import QualcodeError


def turn_body_start(text: str, start: int, end: int, speaker: str | None) -> int:
    """Where a speaker turn's words begin: after a leading ``Speaker:`` label, if there is one."""
    pos = start
    if speaker and text.startswith(speaker, start):
        after = start + len(speaker)
        if after < end and text[after] in ":：":
            pos = after + 1
            while pos < end and text[pos].isspace():
                pos += 1
    return pos


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without white space at either end; None when nothing but white space is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def next_word_end(text: str, pos: int) -> int:
    """The end of the next word at or after ``pos`` (skipping what is between words)."""
    n = len(text)
    while pos < n and not _is_word(text[pos]):
        pos += 1
    while pos < n and _is_word(text[pos]):
        pos += 1
    return pos


def previous_word_start(text: str, pos: int) -> int:
    """The start of the word before ``pos``."""
    while pos > 0 and not _is_word(text[pos - 1]):
        pos -= 1
    while pos > 0 and _is_word(text[pos - 1]):
        pos -= 1
    return pos


def previous_word_end(text: str, pos: int) -> int:
    """The end of the word before the last word ending at or before ``pos``."""
    return _skip_back_space(text, previous_word_start(text, pos))


def next_word_start(text: str, pos: int) -> int:
    """The start of the word after the one at ``pos``."""
    n = len(text)
    while pos < n and _is_word(text[pos]):
        pos += 1
    while pos < n and not _is_word(text[pos]):
        pos += 1
    return pos


def _skip_back_space(text: str, pos: int) -> int:
    while pos > 0 and not _is_word(text[pos - 1]):
        pos -= 1
    return pos


def resized_span(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int] | None:
    """A coding's span with one edge moved by a word (``step`` 1 = right, -1 = left).

    Returns None when the move is impossible (past the text's ends, or the span would vanish).
    """
    if edge == "end":
        new_end = next_word_end(text, end) if step > 0 else previous_word_end(text, end)
        new = (start, new_end)
    elif edge == "start":
        new_start = previous_word_start(text, start) if step < 0 else next_word_start(text, start)
        new = (new_start, end)
    else:
        raise QualcodeError(f"edge is 'start' or 'end', not {edge!r}")
    if new[0] >= new[1] or new == (start, end):
        return None
    return new
