"""Paired rounds for benchmarks: every side runs once per round, in an order that rotates.

A benchmark that runs qualcode once and then its baseline once measures whatever else the
machine did at that moment (one import run in nine showed 56% of the baseline's throughput
where the others showed 74-87%). Here each round runs every side back to back, the order
rotating from round to round so that neither side always goes first (or last, into a warm or a
loaded machine); the figures are the median and range over the rounds, and ratios are taken
within each round, where both sides shared the machine's state.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: rounds unless a benchmark says otherwise (the issue asks for at least three)
ROUNDS = 3


def paired_rounds(
    sides: Mapping[str, Callable[[], Any]], rounds: int = ROUNDS
) -> dict[str, list[Any]]:
    """Each side's results, one per round; side ``i`` of ``n`` goes first in rounds i, i+n..."""
    names = list(sides)
    out: dict[str, list[Any]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            out[name].append(sides[name]())
    return out


def spread(values: Sequence[float], digits: int = 4) -> dict[str, float]:
    """Median, min and max of the rounds' figures."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def ratios(ours: Sequence[float], theirs: Sequence[float]) -> list[float]:
    """Per round: ours / theirs (the two measured in the same round)."""
    return [a / max(b, 1e-12) for a, b in zip(ours, theirs, strict=True)]


def compare(ours: Sequence[float], theirs: Sequence[float], digits: int = 4) -> dict[str, Any]:
    """Both sides' spreads and the spread of the per-round ratios (ours / theirs)."""
    return {
        "ours": spread(ours, digits),
        "theirs": spread(theirs, digits),
        "ratio": spread(ratios(ours, theirs), 3),
    }


def fmt(s: Mapping[str, float], unit: str = "s", scale: float = 1.0, places: int = 2) -> str:
    """``1.23 s (1.10-1.40)``: a spread as median and range."""
    med, lo, hi = (s[k] * scale for k in ("median", "min", "max"))
    return f"{med:.{places}f} {unit} ({lo:.{places}f}-{hi:.{places}f})"
