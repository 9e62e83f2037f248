"""From a matched share expression to a value in percent, as (low, high).

A single value has low == high; a range keeps both ends. Values outside 0-100 percent are not
shares and give None.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from qualcode.caseload.domain.words import FRACTION_BAD_NEXT, FRACTION_BAD_PREV, RATIO_BAD_NEXT
from qualcode.nlp.numbers import fraction_value

PCT_TOKENS = frozenset({"%", "percent", "per-cent", "pct", "percents", "cent"})
HYPHENS = frozenset({"-", "‐", "‑"})
MAX_RATIO_DENOMINATOR = 1000


@dataclass(frozen=True)
class ShareValue:
    """A share in percent. ``start``/``end`` are token indices of the expression in its doc."""

    low: float
    high: float
    kind: str
    has_pct: bool
    start: int
    end: int

    @property
    def mid(self) -> float:
        return round((self.low + self.high) / 2, 2)


def _num(token: Token) -> float | None:
    value = token._.qc_num
    return None if value is None else float(value)


def _numbers(span: Span) -> list[tuple[int, float]]:
    out: list[tuple[int, float]] = []
    for tok in span:
        value = _num(tok)
        if value is not None:
            out.append((tok.i, value))
    return out


def _is_share(value: float) -> bool:
    return 0 <= value <= 100


def value_of(ent: Span) -> ShareValue | None:
    """The share an entity from the ``SHARE`` ruler states, or None if it is not a share."""
    kind = ent.ent_id_ or "pct"
    has_pct = any(t.lower_ in PCT_TOKENS for t in ent)
    nums = _numbers(ent)
    if kind == "pct":
        if not nums or not _is_share(nums[0][1]):
            return None
        return ShareValue(nums[0][1], nums[0][1], "pct", True, ent.start, ent.end)
    if kind == "range":
        return _range(ent, nums, has_pct)
    if kind == "fraction":
        return _fraction(ent, nums)
    if kind == "ratio":
        return _ratio(ent, nums)
    if kind == "slash":
        part, _sep, whole = ent.text.partition("/")
        value = round(int(part) / int(whole) * 100, 2)
        return (
            ShareValue(value, value, "fraction", False, ent.start, ent.end)
            if value <= 100
            else None
        )
    if kind == "all":
        return ShareValue(100.0, 100.0, "all", False, ent.start, ent.end)
    return None


def _range(ent: Span, nums: list[tuple[int, float]], has_pct: bool) -> ShareValue | None:
    if len(nums) < 2:
        return None
    (_, low), (last_i, high) = nums[0], nums[-1]
    if _is_share(low) and _is_share(high) and low <= high and not _looks_like_years(ent):
        return ShareValue(low, high, "range", has_pct, ent.start, ent.end)
    if has_pct and _is_share(high):
        # "2019 to 40 percent": only the last number is a share
        return ShareValue(high, high, "pct", True, last_i, ent.end)
    return None


def _looks_like_years(ent: Span) -> bool:
    return any(t.like_num and len(t.text) == 4 and t.text.isdigit() for t in ent)


def _fraction(ent: Span, nums: list[tuple[int, float]]) -> ShareValue | None:
    denom = fraction_value(ent[-1].text)
    if denom is None:
        return None
    nxt, prev = _next_word(ent), _prev_word(ent)
    if nxt in FRACTION_BAD_NEXT or prev in FRACTION_BAD_PREV:
        return None
    numerator = nums[0][1] if nums else 1.0
    value = round(numerator * denom * 100, 2)
    if not _is_share(value):
        return None
    return ShareValue(value, value, "fraction", False, ent.start, ent.end)


def _ratio(ent: Span, nums: list[tuple[int, float]]) -> ShareValue | None:
    if len(nums) < 2:
        return None
    part, whole = nums[0][1], nums[-1][1]
    if _next_word(ent) in RATIO_BAD_NEXT:
        return None
    if whole <= 0 or part > whole or whole > MAX_RATIO_DENOMINATOR or _looks_like_years(ent):
        return None
    value = round(part / whole * 100, 2)
    # "seven of ten" is weaker evidence than "seven out of (every) ten" / "one in five"
    strong = any(t.lower_ in {"out", "in", "every"} for t in ent)
    return ShareValue(value, value, "ratio" if strong else "ratio_of", False, ent.start, ent.end)


def _next_word(ent: Span) -> str:
    """The lower-cased word after ``ent``, skipping a hyphen ("a half-dozen" -> "dozen")."""
    doc, i = ent.doc, ent.end
    if i < len(doc) and doc[i].text in HYPHENS:
        i += 1
    return doc[i].lower_ if i < len(doc) else ""


def _prev_word(ent: Span) -> str:
    return ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
