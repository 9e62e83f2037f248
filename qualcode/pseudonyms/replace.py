"""Replacing accepted forms by their pseudonyms in a text, and moving offsets with them.

A form matches as a whole word (no letter, digit or ``_`` on either side), case-sensitively,
longest form first; its all-capitals spelling ("KIM ODUYA", common in speaker labels) matches
too. The replaced text and its :class:`OffsetMap` come together: an offset outside every
replaced span moves by what the replacements before it added or removed; a coding's start inside
a replaced span moves to the start of the pseudonym and its end to the pseudonym's end, so a
coding never holds half a pseudonym (or half a name)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Edit:
    """``old[start:end]`` became ``new[new_start:new_end]``."""

    start: int
    end: int
    new_start: int
    new_end: int


@dataclass
class OffsetMap:
    """Old offsets -> new offsets for one text (see the module's docstring)."""

    edits: list[Edit] = field(default_factory=list)

    def _at(self, pos: int) -> tuple[Edit | None, int]:
        i = bisect_right([e.start for e in self.edits], pos) - 1
        if i < 0:
            return None, pos
        e = self.edits[i]
        if pos >= e.end:
            return None, pos + (e.new_end - e.end)
        return e, pos

    def start(self, pos: int) -> int:
        edit, moved = self._at(pos)
        return moved if edit is None else edit.new_start

    def end(self, pos: int) -> int:
        edit, moved = self._at(pos)
        if edit is None:
            return moved
        return edit.new_start if pos == edit.start else edit.new_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span ``[start, end)`` moved: never empty when the old one was not."""
        new_start = self.start(start)
        new_end = self.end(end)
        if end > start and new_end <= new_start:  # wholly inside one replaced span
            edit, _ = self._at(start)
            assert edit is not None
            return edit.new_start, edit.new_end
        return new_start, new_end


@dataclass(frozen=True)
class Replaced:
    text: str
    offsets: OffsetMap


def variants(form: str) -> list[str]:
    """A form and its all-capitals spelling."""
    upper = form.upper()
    return [form] if upper == form else [form, upper]


def form_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``forms`` as a whole word, the longest first."""
    unique = sorted(set(forms), key=lambda f: (-len(f), f))
    if not unique:
        return None
    alternatives = "|".join(re.escape(f) for f in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class Replacer:
    """Replaces every form (and its capitals) by its pseudonym."""

    def __init__(self, forms: dict[str, str]) -> None:
        self.by_form: dict[str, str] = {}
        for form, pseudonym in sorted(forms.items()):
            for v in variants(form):
                self.by_form.setdefault(v, pseudonym)
        self.pattern = form_pattern(self.by_form)

    def __call__(self, text: str) -> str:
        return self.replace(text).text

    def replace(self, text: str) -> Replaced:
        if self.pattern is None or not text:
            return Replaced(text, OffsetMap())
        parts: list[str] = []
        edits: list[Edit] = []
        last = 0
        size = 0
        for m in self.pattern.finditer(text):
            parts.append(text[last : m.start()])
            size += m.start() - last
            new = self.by_form[m.group()]
            edits.append(Edit(m.start(), m.end(), size, size + len(new)))
            parts.append(new)
            size += len(new)
            last = m.end()
        parts.append(text[last:])
        return Replaced("".join(parts), OffsetMap(edits))

    def text_or_none(self, text: str | None) -> str | None:
        return None if text is None else self(text)
