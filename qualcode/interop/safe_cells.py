"""Cell values that spreadsheets never run as formulas, shared by the Excel and CSV exports.

Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the full-width
``＝ ＋ － ＠`` that some Excel input methods turn into formula signs), also after leading white
space or zero-width characters (`` =1+1``, which spreadsheets trim and then evaluate), is
written with a leading apostrophe ``'`` and stored as a string: Excel and LibreOffice show it as
text and never evaluate it, not even after the cell is edited. Numbers, booleans and dates are
never changed, so they stay numbers. See OWASP "CSV Injection".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

QUOTE = "'"
NaT: Any = pd.NaT
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Excel stores at most this many characters in a cell; longer text is cut and marked.
EXCEL_MAX_CHARS = 32_767
#: Excel's sheet size: rows (the header included) and columns.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Characters XML 1.0 forbids (openpyxl refuses them); replaced by U+FFFD in workbooks.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Value = str | int | float | bool | dt.date | dt.datetime | None


FIRST_CHARS = frozenset(FORMULA_STARTS)
#: what may stand before a formula sign and be skipped by a spreadsheet (or not be seen)
LEADING_BLANKS = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")


def is_dangerous(text: str) -> bool:
    """Would a spreadsheet read this text as the start of a formula (also after leading white
    space)?"""
    if text[:1] in FIRST_CHARS:
        return True
    return text[LEADING_BLANKS.match(text).end() :][:1] in FIRST_CHARS  # type: ignore[union-attr]


def neutralise(text: str) -> str:
    """The text with a leading apostrophe when it could start a formula, else unchanged."""
    return QUOTE + text if is_dangerous(text) else text


def plain_value(value: Any) -> Value:
    """A Python value for a cell: numpy/pandas scalars unwrapped, NaN/NA/NaT to None, other
    objects to their text (neutralised). Numbers, booleans and dates pass through."""
    if value is None or value is NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | dt.date):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return neutralise(value)
    item = getattr(value, "item", None)
    if callable(item):  # numpy scalar
        return plain_value(item())
    try:
        if value != value:  # pandas NA/NaT compare unequal to themselves (or raise)
            return None
    except (TypeError, ValueError):
        return None
    return neutralise(str(value))


def csv_value(value: Any) -> str:
    """A value as CSV text: empty for missing, ISO dates, ``true``/``false``, numbers as Python
    writes them, text neutralised."""
    kind = type(value)
    if kind is str:  # the common cases first: most cells are text or whole numbers
        return neutralise(value)
    if kind is int:
        return str(value)
    v = plain_value(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def xlsx_value(value: Any) -> Value:
    """A value for an Excel cell: like :func:`plain_value`, with characters XML forbids replaced
    and text longer than Excel's cell limit cut, saying how long it was."""
    v = plain_value(value)
    if isinstance(v, str):
        return xlsx_text(v)
    if isinstance(v, float) and math.isinf(v):
        return None
    return v


def xlsx_text(text: str) -> str:
    """Already-neutralised text made storable in a workbook cell."""
    if XML_ILLEGAL.search(text):
        text = XML_ILLEGAL.sub("\ufffd", text)
    if len(text) > EXCEL_MAX_CHARS:
        note = f" … [cut: {len(text):,} characters]"
        text = text[: EXCEL_MAX_CHARS - len(note)] + note
    return text
