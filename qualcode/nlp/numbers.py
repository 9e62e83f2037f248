"""Numbers written as digits or in words: "62.5", "1,200", "sixty-five", "a hundred".

``parse_number`` turns a short phrase into its value, or None when the phrase is not a
number. It accepts:

* digits with optional thousands commas and a decimal point: ``85``, ``1,200``, ``62.5``;
* spelled-out numbers up to the hundreds, hyphenated or not: ``forty``, ``sixty-five``,
  ``twenty five``, ``a hundred``, ``one hundred and ten``, ``two hundred``;
* a spoken decimal: ``sixty-two point five``.

``fraction_value`` gives the value of a fraction word: ``half`` 1/2, ``thirds`` 1/3, ...
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALE_WORDS = frozenset({"hundred"})
# Words that may appear inside a spelled-out number.
NUMBER_WORDS: frozenset[str] = frozenset([*UNITS, *TEENS, *TENS, "hundred", "a", "and", "point"])
# Words that can start a spelled-out number ("a" only before "hundred").
NUMBER_START_WORDS: frozenset[str] = frozenset([*UNITS, *TEENS, *TENS, "hundred", "a"])

FRACTIONS: dict[str, float] = {
    "half": 1 / 2,
    "halves": 1 / 2,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 1 / 4,
    "quarters": 1 / 4,
    "fourth": 1 / 4,
    "fourths": 1 / 4,
    "fifth": 1 / 5,
    "fifths": 1 / 5,
    "sixth": 1 / 6,
    "sixths": 1 / 6,
    "eighth": 1 / 8,
    "eighths": 1 / 8,
    "tenth": 1 / 10,
    "tenths": 1 / 10,
}

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")
_WORD_SPLIT = re.compile(r"[\s\-‐‑–]+")


def parse_digits(text: str) -> float | None:
    """``"85"`` -> 85.0, ``"1,200"`` -> 1200.0, ``"62.5"`` -> 62.5; anything else None."""
    text = text.strip()
    if not _DIGITS.match(text):
        return None
    return float(text.replace(",", ""))


def _below_hundred(words: list[str]) -> int | None:
    """Value of 1-2 words below a hundred ("sixty five", "twelve", "nine"), or None."""
    if len(words) == 1:
        w = words[0]
        for table in (UNITS, TEENS, TENS):
            if w in table:
                return table[w]
        return None
    if len(words) == 2 and words[0] in TENS and words[1] in UNITS and words[1] != "zero":
        return TENS[words[0]] + UNITS[words[1]]
    return None


def _integer_words(words: list[str]) -> int | None:
    if not words:
        return None
    if "hundred" in words:
        i = words.index("hundred")
        head, tail = words[:i], words[i + 1 :]
        multiplier = 1 if head in ([], ["a"]) else _below_hundred(head)
        if multiplier is None or not 1 <= multiplier <= 9:
            return None
        if tail and tail[0] == "and":
            tail = tail[1:]
            if not tail:
                return None
        rest = _below_hundred(tail) if tail else 0
        if rest is None:
            return None
        return multiplier * 100 + rest
    if "and" in words or "a" in words:
        return None
    return _below_hundred(words)


def parse_number(text: str) -> float | None:
    """The value of a number phrase in digits or words, or None.

    >>> parse_number("sixty-five"), parse_number("a hundred"), parse_number("62.5")
    (65.0, 100.0, 62.5)
    """
    digits = parse_digits(text)
    if digits is not None:
        return digits
    text = text.strip().lower()
    if not text or text[0] in "-‐‑–" or text[-1] in "-‐‑–":
        return None
    words = [w for w in _WORD_SPLIT.split(text) if w]
    if not words:
        return None
    if "point" in words:
        i = words.index("point")
        whole = _integer_words(words[:i])
        decimals = words[i + 1 :]
        if whole is None or not decimals or any(d not in UNITS for d in decimals):
            return None
        return float(f"{whole}." + "".join(str(UNITS[d]) for d in decimals))
    value = _integer_words(words)
    return None if value is None else float(value)


def fraction_value(word: str) -> float | None:
    """The value of one fraction word ("half" 0.5, "quarters" 0.25), or None."""
    return FRACTIONS.get(word.lower())
