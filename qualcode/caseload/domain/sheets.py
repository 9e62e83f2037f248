"""The caseload share's sheets in the Excel and CSV exports (the ``domain.sheets`` hook of
:mod:`qualcode.features`): each participant's share with their attributes, its statistics
overall and by each text attribute, and a histogram. A project without caseload data gets none.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from qualcode.analysis.data import text_attributes
from qualcode.analysis.tables import summary_tables
from qualcode.caseload.domain.measure import (
    CASELOAD_ATTRIBUTE,
    CASELOAD_LABEL,
    has_caseload_data,
    share_values,
)
from qualcode.interop.tables_for_export import (
    Chart,
    Column,
    ExtraSheets,
    Table,
    attribute_columns,
    attributes_fit,
    bins,
    cols,
    frame_rows,
    participant_rows,
)

DESCRIPTIONS = {
    "Caseload shares": f"each participant's {CASELOAD_ATTRIBUTE} and attributes",
    "Caseload summary": "statistics of the caseload share, overall and by text attribute "
    "(SD: sample; quartiles: linear interpolation)",
    "Caseload histogram": "participants per 10-point bin of the caseload share, with a chart",
}


def extra_sheets(s: Session) -> ExtraSheets | None:
    """The three sheets, their Overview lines; None when the project has no caseload data."""
    if not has_caseload_data(s):
        return None
    shares = share_values(s)
    return ExtraSheets(
        tables=[shares_table(s), summary_sheet(s), histogram_table(list(shares.values()))],
        descriptions=DESCRIPTIONS,
        overview=[("Caseload shares", f"{len(shares)} participants have {CASELOAD_ATTRIBUTE}")],
    )


def shares_table(s: Session) -> Table:
    # too many attributes for an Excel sheet: they are in the long Attributes sheet
    attrs = attribute_columns(s, skip=[CASELOAD_ATTRIBUTE]) if attributes_fit(s) else []
    columns = cols("participant|Participant", "documents|Documents")
    columns += [Column(CASELOAD_ATTRIBUTE, CASELOAD_LABEL, "percent")]
    columns += [Column(n, n, k) for n, k in attrs]
    rows = participant_rows(s, [CASELOAD_ATTRIBUTE, *(n for n, _k in attrs)])
    return Table("caseload_shares", "Caseload shares", columns, rows, 1)


def summary_sheet(s: Session) -> Table:
    """The caseload share's statistics over all participants and by each text attribute."""
    parts = []
    bys = [None, *text_attributes(s)]
    for by, frame in zip(bys, summary_tables(s, CASELOAD_ATTRIBUTE, bys), strict=True):
        frame.insert(0, "by", by or "all")
        parts.append(frame if by is None else frame.iloc[1:])
    stats = ["mean", "sd", "median", "min", "q1", "q3", "max"]
    labels = {"sd": "SD", "q1": "Q1", "q3": "Q3"}
    columns = cols("by|Grouped by", "group|Group", "n|With a share|int", "missing|Without|int")
    columns += [Column(f"{n}_pct", labels.get(n, n.capitalize()), "percent") for n in stats]
    frame = pd.concat(parts, ignore_index=True)
    return Table("caseload_summary", "Caseload summary", columns, frame_rows(frame), 2)


def histogram_table(values: list[float]) -> Table:
    columns = cols(f"bin|{CASELOAD_LABEL}", "participants|Participants|int")
    columns += cols("from_pct|From (%)|number", "to_pct|To (%)|number")
    chart = Chart("histogram", CASELOAD_LABEL, "Share of caseload", "Participants")
    return Table("caseload_histogram", "Caseload histogram", columns, bins(values), chart=chart)
