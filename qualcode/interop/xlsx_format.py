"""How the workbook looks: header style, number formats per column kind, column widths, and
the per-column converters that turn a value into what a write-only sheet appends.

Styled values go out as one template ``WriteOnlyCell`` per column whose value is replaced on
each row: openpyxl writes a cell as soon as its row is appended, so one styled cell per column
is enough, and unstyled values go out as plain values (the fast path).
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qualcode.interop.safe_cells import neutralise, xlsx_text, xlsx_value
from qualcode.interop.tables_for_export import Column, Kind

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

NUMBER_FORMATS: dict[Kind, str] = {
    "float": "0.00",
    "stat": "0.000",
    "percent": "0.0%",
    "fraction": "0.0%",
    "date": "yyyy-mm-dd",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
LONG_WIDTH = 60
MIN_WIDTH, MAX_WIDTH = 6, 60
LINE_POINTS = 15.0  # the height of one line of 11-point text
MAX_LINES = 12  # taller rows are cut; the whole text is in the cell
CHARS_PER_WIDTH = 1.1  # prose characters per unit of column width (the width of a "0")
#: Rows looked at to fit column widths (a write-only sheet needs its widths before any row).
SAMPLE_ROWS = 500

Converter = Callable[[Any], Any]


def new_workbook() -> Workbook:
    """A write-only workbook whose unstyled cells are aligned to the top, so rows with wrapped
    text read straight across without styling every cell (which costs a third more time).
    This sets openpyxl's first cell format and the Normal style; if openpyxl's internals ever
    differ, cells keep the default (bottom) alignment and nothing else changes."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "qualcode"
    try:
        first = StyleArray(wb._cell_styles[0])
        first.alignmentId = wb._alignments.add(TOP)
        styles = IndexedList([first])
        styles._dict[StyleArray()] = 0  # column and row defaults use it too
        styles.clean = True
        wb._cell_styles = styles
        wb._named_styles[0].alignment = TOP  # "Normal", which LibreOffice uses for them
    except (AttributeError, IndexError, TypeError):  # pragma: no cover - other openpyxl
        pass
    return wb


def header_cells(ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=xlsx_value(column.label or column.name))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment, cell.border = HEADER_ALIGN, HEADER_BORDER
        cells.append(cell)
    return cells


def converter(ws: WriteOnlyWorksheet, column: Column) -> Converter:
    """A function from a table value to what the sheet appends for this column: a plain value
    when the cell needs no style of its own, else the column's template cell holding it."""
    kind = column.kind
    clean = CLEANERS[kind]
    alignment = WRAP if kind == "long" else TOP
    number_format = NUMBER_FORMATS.get(kind)
    if kind == "text":  # text, and dates in a mixed column (the Overview's values)
        dates = _styled(ws, clean, DATETIME_FORMAT, alignment)
        days = _styled(ws, clean, NUMBER_FORMATS["date"], alignment)

        def text(value: Any) -> Any:
            if isinstance(value, dt.date):
                return dates(value) if isinstance(value, dt.datetime) else days(value)
            return clean(value)

        return text
    if number_format is None and kind != "long":
        return clean
    return _styled(ws, clean, number_format, alignment)


def _styled(
    ws: WriteOnlyWorksheet, clean: Converter, number_format: str | None, alignment: Alignment | None
) -> Converter:
    template = WriteOnlyCell(ws)
    if number_format is not None:
        template.number_format = number_format
    if alignment is not None:
        template.alignment = alignment

    def to_cell(value: Any) -> Any:
        v = clean(value)
        if v is None:
            return None
        template.value = v
        return template

    return to_cell


def clean_text(value: Any) -> Any:
    return xlsx_text(neutralise(value)) if type(value) is str else xlsx_value(value)


def clean_number(value: Any) -> Any:
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return value
    return xlsx_value(value)


def clean_percent(value: Any) -> Any:
    v = clean_number(value)
    return v / 100 if isinstance(v, int | float) and not isinstance(v, bool) else v


def clean_bool(value: Any) -> Any:
    v = xlsx_value(value)
    return ("yes" if v else "no") if isinstance(v, bool | int) else v


CLEANERS: dict[Kind, Converter] = {
    "text": clean_text,
    "long": clean_text,
    "int": clean_number,
    "number": clean_number,
    "float": clean_number,
    "stat": clean_number,
    "percent": clean_percent,
    "fraction": clean_number,
    "date": xlsx_value,
    "bool": clean_bool,
}


def display_width(value: Any, kind: Kind) -> int:
    """About how many characters a value takes on screen."""
    if value is None:
        return 0
    if kind in ("percent", "fraction"):
        return 7
    if isinstance(value, float):
        return min(len(f"{value:.3f}"), 12)
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def fitted_widths(columns: Sequence[Column], sample: Sequence[Sequence[Any]]) -> list[float]:
    """Widths (in characters) from the header's longest word and the sampled values."""
    widths = []
    for i, column in enumerate(columns):
        if column.kind == "long":
            widths.append(float(LONG_WIDTH))
            continue
        header = max((len(w) for w in (column.label or column.name).split()), default=4)
        values = max((display_width(row[i], column.kind) for row in sample), default=0)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, header, values) + 2)))
    return widths


def text_lines(value: Any, width: float) -> int:
    """About how many lines a wrapped text takes in a column ``width`` wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(1.0, width * CHARS_PER_WIDTH)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in value.split("\n"))


def header_height(columns: Sequence[Column], widths: Sequence[float]) -> float:
    """Points for a header row whose labels wrap within the fitted widths."""
    lines = [
        len(textwrap.wrap(c.label or c.name, max(1, int(w) - 1)) or [""])
        for c, w in zip(columns, widths, strict=True)
    ]
    return LINE_POINTS * max([1, *lines]) + 3
