"""Native Excel charts: a horizontal bar chart of code frequencies and a column chart of binned
counts (the caseload-share histogram). Both plot column B against the labels in column A."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qualcode.interop.tables_for_export import Chart

CM_PER_BAR = 0.55


def add_chart(ws: WriteOnlyWorksheet, spec: Chart, rows: int) -> BarChart:
    """Add the chart of the sheet's first ``rows`` data rows, to the right of the table."""
    chart = BarChart()
    chart.title = spec.title
    chart.legend = None
    chart.style = 10
    chart.x_axis.title = spec.x_title
    chart.y_axis.title = spec.y_title
    chart.x_axis.delete = False  # openpyxl 3.1 hides the axes unless told otherwise
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.dataLabels = DataLabelList(
        showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False
    )
    values = Reference(ws, min_col=2, min_row=1, max_row=rows + 1)
    labels = Reference(ws, min_col=1, min_row=2, max_row=rows + 1)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    if spec.kind == "bar":
        chart.type = "bar"  # horizontal bars: long code paths stay readable
        chart.x_axis.scaling.orientation = "maxMin"  # first code at the top
        chart.height = max(7.5, CM_PER_BAR * rows + 3)
        chart.width = 24
        anchor = "D2"
    else:
        chart.type = "col"
        chart.gapWidth = 10  # bars that touch, as in a histogram
        chart.height, chart.width = 9, 18
        anchor = "F2"
    ws.add_chart(chart, anchor)
    return chart
