"""The abbreviation rule finds the word before a sentence start by scanning back; it must find
the word a regular expression of the rule's definition finds, on any text and position."""

from __future__ import annotations

import random
import re

from qualcode.nlp.sentence_rules import (
    ABBREVIATIONS,
    INITIALISM,
    NOT_IN_WORD,
    WORD_WINDOW,
    _follows_abbreviation,
)

#: The definition: the word (no white space, none of NOT_IN_WORD) that ends where only white
#: space is left before the start, within WORD_WINDOW characters.
WORD_BEFORE = re.compile(r"([^\s\"'“‘(\[]+)\s*$")


def by_regex(text: str, pos: int) -> bool:
    m = WORD_BEFORE.search(text, max(0, pos - WORD_WINDOW), pos)
    if m is None or not m.group(1).endswith("."):
        return False
    word = m.group(1)
    return word[:-1].lower() in ABBREVIATIONS or bool(INITIALISM.search(word))


def test_the_class_excluded_by_the_regex_is_not_in_word() -> None:
    assert set(NOT_IN_WORD) == set("\"'“‘([")


def test_scanning_back_finds_the_regex_word() -> None:
    rng = random.Random(15)
    pieces = [
        "Dr.", "dr.", "Mr.", "e.g.", "i.e.", "U.S.", "u.s.a.", "etc.", "2.5", "No.", "Prof.",
        ".", "a", "word", "x" * 45, "“", "‘", '"', "'", "(", "[", ")", "]", "?", "!",
        " ", "  ", "\n", "\t", "\u00a0", "\u3000", " " * 41, "Zoë.", "É.", "ß.", "1.", "_.",
    ]  # fmt: skip
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        for pos in range(len(text) + 1):
            expected = by_regex(text, pos)
            assert _follows_abbreviation(text, pos) == expected, (text, pos)
            found += expected
    assert found > 1000  # the texts do hold abbreviations before many positions
