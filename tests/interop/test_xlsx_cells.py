"""Cell-level rules of the exports: formula neutralisation, numbers left alone, Excel's limits,
sheet names, column widths, streaming many rows, and the caseload histogram's bins."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from qualcode.interop.safe_cells import (
    EXCEL_MAX_CHARS,
    csv_value,
    is_dangerous,
    neutralise,
    xlsx_value,
)
from qualcode.interop.tables_for_export import Table, bins, cols, context
from qualcode.interop.xlsx_format import fitted_widths, new_workbook, text_lines
from qualcode.interop.xlsx_sheets import sheet_title, write_table

STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]


def test_text_that_could_start_a_formula_gets_a_quote() -> None:
    for start in STARTS:
        assert neutralise(start + "1+1") == "'" + start + "1+1"
        assert csv_value(start + "cmd") == "'" + start + "cmd"
    # white space before the sign does not stop a spreadsheet from running it
    assert neutralise(" =not first") == "' =not first"
    for text in ["plain", "", " plain", "'already quoted", "1+1", "a=b", " a=b"]:
        assert neutralise(text) == text
        assert not is_dangerous(text)


def test_numbers_dates_and_missing_values_are_not_text() -> None:
    assert xlsx_value(-5) == -5 and xlsx_value(-2.5) == -2.5
    assert xlsx_value(np.int64(-3)) == -3 and isinstance(xlsx_value(np.int64(-3)), int)
    assert xlsx_value(np.float64(0.25)) == 0.25
    assert xlsx_value(True) is True
    assert xlsx_value(dt.date(2024, 5, 1)) == dt.date(2024, 5, 1)
    assert xlsx_value(pd.Timestamp("2024-05-01 10:00")) == dt.datetime(2024, 5, 1, 10, 0)
    for missing in [None, math.nan, pd.NA, pd.NaT, np.nan, math.inf]:
        assert xlsx_value(missing) is None
    assert [csv_value(v) for v in [-5, 2.0, 2.5, None, True, dt.date(2024, 5, 1)]] == [
        "-5", "2", "2.5", "", "true", "2024-05-01",
    ]  # fmt: skip


def test_excel_limits_on_text() -> None:
    long = "x" * (EXCEL_MAX_CHARS + 10)
    cut = xlsx_value(long)
    assert isinstance(cut, str) and len(cut) == EXCEL_MAX_CHARS
    assert cut.endswith(f"[cut: {len(long):,} characters]")
    assert xlsx_value("bell\x07 and nul\x00") == "bell\ufffd and nul\ufffd"
    assert xlsx_value("=\x00") == "'=\ufffd"


@given(st.text(max_size=40))
def test_any_text_is_stored_as_a_string_never_a_formula(text: str) -> None:
    value = xlsx_value(text)
    assert isinstance(value, str)
    assert not value.startswith(tuple(STARTS))
    if is_dangerous(text):
        assert value.startswith("'")
    cell = openpyxl.Workbook().active.cell(1, 1, value)
    assert cell.data_type == "s"


def test_sheet_titles_are_valid() -> None:
    assert sheet_title("Codes: a/b [x]?") == "Codes_ a_b _x__"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("''") == "Sheet"


def test_widths_fit_the_content_within_limits() -> None:
    columns = cols("code|Code", "n|Codings|int", "text|Coded text|long", "p|Share|percent")
    widths = fitted_widths(columns, [("a" * 30, 12, "x" * 500, 55.0), ("b" * 200, 1, "", 1.0)])
    assert widths == [60.0, 9.0, 60.0, 9.0]
    assert text_lines("x" * 66, 60) == 1 and text_lines("x" * 67, 60) == 2
    assert text_lines("one\ntwo\n\nfour", 60) == 4 and text_lines(3, 60) == 1


def test_a_large_sheet_streams_with_formats(tmp_path: Path) -> None:
    rows = [(i, f"=row {i}" if i % 1000 == 0 else f"row {i}", i / 100) for i in range(20_000)]
    table = Table("big", "Big", cols("n|N|int", "text|Text|long", "share|Share|percent"), rows)
    wb = new_workbook()
    assert write_table(wb, table) == len(rows)
    wb.save(tmp_path / "big.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True)["Big"]
    got = list(ws.iter_rows(values_only=True))
    assert got[0] == ("N", "Text", "Share")
    assert got[1] == (0, "'=row 0", 0.0) and got[-1] == (19_999, "row 19999", 1.9999)
    assert sum(1 for r in got if str(r[1]).startswith("'=")) == 20


def test_histogram_bins() -> None:
    rows = bins([0.0, 9.99, 10.0, 55.0, 100.0, 100.0])
    assert [r[0] for r in rows][:2] == ["0–10%", "10–20%"] and len(rows) == 10
    assert [r[1] for r in rows] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins([])[0] == ("0–10%", 0, 0.0, 10.0)
    wide = bins([-5.0, 120.0])
    assert (wide[0][2], wide[-1][3], sum(r[1] for r in wide)) == (-10.0, 120.0, 2)


def test_context_is_cut_at_spaces() -> None:
    text = "alpha beta gamma delta CODED epsilon zeta eta theta"
    start = text.index("CODED")
    before, after = context(text, start, start + 5, chars=12)
    assert before == "… delta " and after == " epsilon…"
    assert context(text, 0, 5, chars=100) == ("", " beta gamma delta CODED epsilon zeta eta theta")
