"""The caseload sheets show up only in a project with caseload data: a plain project's Excel
workbook, CSV files and Overview carry nothing of the feature; once the project defines the
caseload attribute the three sheets follow "Coded segments"."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from qualcode.coding import add_coding
from qualcode.interop.csv_export import export_csv
from qualcode.interop.xlsx_workbook import export_xlsx
from qualcode.store import (
    Attribute,
    AttributeValue,
    Code,
    Document,
    Participant,
    Project,
    open_project,
)

TEXT = "P1: Forty families on my list. Home visits take the week."
PLAIN_SHEETS = [
    "Overview", "Code frequencies", "Frequency chart", "Code by participant", "Co-occurrence",
    "Coded segments", "Memos", "Codebook",
]  # fmt: skip
CASELOAD_SHEETS = ["Caseload shares", "Caseload summary", "Caseload histogram"]


@pytest.fixture
def plain(tmp_path: Path) -> Iterator[Project]:
    """A social-work project: one participant with years of practice, one coding."""
    project = open_project(tmp_path / "social.db", create=True)
    with project.write() as s:
        years = Attribute(name="years", kind="number")
        person = Participant(label="P1")
        s.add_all([years, person, Code(name="Workload", guid="g-w", position=0)])
        s.flush()
        s.add(AttributeValue(participant_id=person.id, attribute_id=years.id, number_value=7.0))
        digest = hashlib.sha256(TEXT.encode()).hexdigest()
        s.add(Document(name="P1.txt", text=TEXT, sha256=digest, source_name="P1.txt",
                       source_format="txt", participant_id=person.id))  # fmt: skip
        s.flush()
        start = TEXT.index("Home visits")
        add_coding(s, document="P1.txt", code="Workload", coder="ana", start=start, end=len(TEXT))
    yield project
    project.dispose()


def add_caseload_share(project: Project, value: float) -> None:
    with project.write() as s:
        share = Attribute(name="csam_share_pct", kind="number")
        s.add(share)
        s.flush()
        pid = s.scalars(select(Participant.id)).one()
        s.add(AttributeValue(participant_id=pid, attribute_id=share.id, number_value=value))


def workbook_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    finally:
        wb.close()


def test_a_plain_project_exports_no_caseload_sheet(plain: Project, tmp_path: Path) -> None:
    xlsx = tmp_path / "plain.xlsx"
    assert list(export_xlsx(plain, xlsx).sheets) == PLAIN_SHEETS
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames == PLAIN_SHEETS
    text = workbook_text(xlsx)
    assert "caseload" not in text.lower() and "csam" not in text.lower()
    assert "Forty families" in text  # the walk reads the cells

    out = tmp_path / "plain-csv"
    files = list(export_csv(plain, out).sheets)
    assert not [f for f in files if "caseload" in f]
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    overview = pd.read_csv(out / "overview.csv")
    assert not overview["item"].str.contains("Caseload").any()
    assert "Sheet: Coded segments" in set(overview["item"])


def test_caseload_data_brings_its_sheets_after_the_coded_segments(
    plain: Project, tmp_path: Path
) -> None:
    add_caseload_share(plain, 35.0)
    xlsx = tmp_path / "study.xlsx"
    sheets = list(export_xlsx(plain, xlsx).sheets)
    at = sheets.index("Coded segments") + 1
    assert sheets == [*PLAIN_SHEETS[:at], *CASELOAD_SHEETS, *PLAIN_SHEETS[at:]]
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    rows = list(wb["Caseload shares"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Participant", "Documents", "CSAM share of caseload")
    assert rows[1][:4] == ("P1", "P1.txt", 0.35, 7)  # Excel holds a percent as a fraction
    overview = {r[0]: r[1] for r in wb["Overview"].iter_rows(values_only=True)}
    assert overview["Caseload shares"] == "1 participants have csam_share_pct"
    items = list(overview)
    assert items.index("Sheet: Caseload shares") == items.index("Sheet: Coded segments") + 1
    wb.close()

    out = tmp_path / "study-csv"
    files = list(export_csv(plain, out).sheets)
    assert [f for f in files if f.startswith("caseload")] == [
        "caseload_shares.csv", "caseload_summary.csv", "caseload_histogram.csv",
    ]  # fmt: skip
    summary = pd.read_csv(out / "caseload_summary.csv")
    assert summary.loc[0, ["n", "mean_pct"]].tolist() == [1, 35.0]
