"""Writing one table as one streamed worksheet: styled header, frozen panes, autofilter, fitted
column widths, number formats, and the table's chart."""

from __future__ import annotations

from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from qualcode.errors import QualcodeError
from qualcode.interop.safe_cells import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS
from qualcode.interop.tables_for_export import Table
from qualcode.interop.xlsx_charts import add_chart
from qualcode.interop.xlsx_format import (
    LINE_POINTS,
    MAX_LINES,
    SAMPLE_ROWS,
    converter,
    fitted_widths,
    header_cells,
    header_height,
    text_lines,
)

INVALID_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(title: str) -> str:
    """A valid sheet name: no ``[]:*?/\\``, 31 characters at most."""
    return title.translate(INVALID_TITLE).strip("'")[:31] or "Sheet"


def write_table(wb: Workbook, table: Table) -> int:
    """Append ``table`` to a write-only workbook as a new sheet; return its data rows."""
    columns = table.columns
    if len(columns) > EXCEL_MAX_COLUMNS:
        raise QualcodeError(
            f"sheet {table.title!r} has more columns than Excel allows ({EXCEL_MAX_COLUMNS:,}); "
            "export CSV instead"
        )
    ws = wb.create_sheet(sheet_title(table.title))
    rows = iter(table.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    widths = fitted_widths(columns, sample)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"{get_column_letter(table.freeze_columns + 1)}2"
    print_setup(ws)
    ws.row_dimensions[1].height = header_height(columns, widths)
    ws.append(header_cells(ws, columns))
    wrapped = [(i, widths[i]) for i, c in enumerate(columns) if c.kind == "long"]
    convert = [converter(ws, c) for c in columns]
    n = 0
    for row in chain(sample, rows):
        n += 1
        if n >= EXCEL_MAX_ROWS:
            raise QualcodeError(
                f"sheet {table.title!r} has more rows than Excel allows ({EXCEL_MAX_ROWS - 1:,}); "
                "export CSV instead, or narrow it with --coder or --codes"
            )
        lines = max([text_lines(row[i], w) for i, w in wrapped], default=1)
        if lines > 1:  # spreadsheets do not size wrapped rows themselves on opening
            ws.row_dimensions[n + 1].height = LINE_POINTS * min(lines, MAX_LINES) + 2
        ws.append([f(v) for f, v in zip(convert, row, strict=True)])
        if lines > 1:
            del ws.row_dimensions[n + 1]  # written; keep memory flat
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{n + 1}"
    if table.chart is not None and n:
        add_chart(ws, table.chart, n)
    return n


def print_setup(ws: WriteOnlyWorksheet) -> None:
    """Printed (or PDF) pages: landscape, one page wide, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
