"""Spelled-out and digit numbers."""

from __future__ import annotations

import pytest

from qualcode.nlp.numbers import fraction_value, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85", 85),
        ("62.5", 62.5),
        ("1,200", 1200),
        ("forty", 40),
        ("Forty", 40),
        ("sixty-five", 65),
        ("sixty five", 65),
        ("nineteen", 19),
        ("zero", 0),
        ("a hundred", 100),
        ("one hundred", 100),
        ("hundred", 100),
        ("a hundred and ten", 110),
        ("two hundred five", 205),
        ("sixty-two point five", 62.5),
        ("thirty-three point three three", 33.33),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "and",
        "forty forty",
        "thirty-forty",
        "five twenty",
        "sixty-zero",
        "point five",
        "a sixty",
        "1,20",
        "twelve hundred",
        "percent",
        "sixty-",
    ],
)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_fractions() -> None:
    assert fraction_value("half") == 0.5
    assert fraction_value("Quarters") == 0.25
    assert fraction_value("thirds") == pytest.approx(1 / 3)
    assert fraction_value("dozen") is None
