"""An Excel export of a project with more attributes than a sheet has columns: the attributes go
to a long "Attributes" sheet, every sheet stays within Excel's limits, and the tables are built
with a number of queries that does not grow with the attributes (it grew by several per
attribute, and 16,400 attributes did not finish in ten minutes)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.interop.safe_cells import EXCEL_MAX_CHARS, EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS

from ..run_cli import cli
from .query_counter import counting_queries

ATTRIBUTES = EXCEL_MAX_COLUMNS + 16
#: far below one query per attribute; the whole export needs a few dozen
MAX_QUERIES = 400
TEXT = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones.\n"


@pytest.fixture
def counted_queries() -> Iterator[list[str]]:
    with counting_queries(MAX_QUERIES) as seen:
        yield seen


def _wide_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "wide.db"
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    for name in ("P01", "P02"):
        (tmp_path / f"{name}.txt").write_text(TEXT.replace("P01", name), encoding="utf-8")
    files = [str(tmp_path / "P01.txt"), str(tmp_path / "P02.txt")]
    assert cli(capsys, "--project", str(path), "import", *files)[0] == 0
    assert cli(capsys, "--project", str(path), "codes", "add", "Lab")[0] == 0
    code = ["--project", str(path), "--coder", "ann", "code", "-d", "P01.txt", "-c", "Lab"]
    assert cli(capsys, *code, "-s", "40", "-e", "47")[0] == 0
    csv = tmp_path / "attributes.csv"
    csv.write_text("participant,document,a00000\nP01,P01.txt,v2\nP02,P02.txt,v0\n")
    assert cli(capsys, "--project", str(path), "attributes", "import", str(csv))[0] == 0
    with sqlite3.connect(path) as conn:  # 'attributes import' of 16,400 columns is slow
        conn.executemany(
            "insert into attributes (id, name, kind) values (?, ?, 'text')",
            [(i + 1, f"a{i:05d}") for i in range(1, ATTRIBUTES)],
        )
        conn.executemany(
            "insert into attribute_values (participant_id, attribute_id, text_value) "
            "values (?, ?, ?)",
            [(p, a, f"v{(a + p) % 3}") for p in (1, 2) for a in range(2, ATTRIBUTES + 1)],
        )
    return path


def test_more_attributes_than_excel_columns_go_to_a_long_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], counted_queries: list[str]
) -> None:
    path = _wide_project(tmp_path, capsys)
    out = tmp_path / "wide.xlsx"
    counted_queries.clear()
    code, stdout, err = cli(capsys, "--project", str(path), "export", "xlsx", str(out))
    assert code == 0, stdout + err
    assert len(counted_queries) <= MAX_QUERIES

    wb = load_workbook(out, read_only=True)
    for ws in wb.worksheets:
        rows = 0
        for row in ws.iter_rows(values_only=True):
            rows += 1
            assert len(row) <= EXCEL_MAX_COLUMNS, ws.title
            assert all(len(v) <= EXCEL_MAX_CHARS for v in row if isinstance(v, str))
        assert rows <= EXCEL_MAX_ROWS, ws.title
    segments = list(wb["Coded segments"].iter_rows(values_only=True))
    assert "a00000" not in segments[0]
    assert segments[1][1:3] == ("P01.txt", "P01")
    long = list(wb["Attributes"].iter_rows(values_only=True))
    assert long[0] == ("Participant", "Attribute", "Value")
    assert len(long) == 1 + 2 * ATTRIBUTES
    assert long[1] == ("P01", "a00000", "v2")
    assert long[-1] == ("P02", f"a{ATTRIBUTES - 1:05d}", f"v{(ATTRIBUTES + 2) % 3}")
    overview = dict(wb["Overview"].iter_rows(values_only=True))
    assert "Sheet: Attributes" in overview
    # grouped by each text attribute: P01 (coded) has a0's value v2
    frequencies = list(wb["Code frequencies"].iter_rows(values_only=True))
    assert ("a00000", "v2", "Lab") in {r[:3] for r in frequencies}


def test_a_project_with_few_attributes_keeps_them_as_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "narrow.db"
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "--project", str(path), "import", str(tmp_path / "P01.txt"))[0] == 0
    csv = tmp_path / "a.csv"
    csv.write_text("participant,document,site\nP01,P01.txt,north\n", encoding="utf-8")
    assert cli(capsys, "--project", str(path), "attributes", "import", str(csv))[0] == 0
    out = tmp_path / "narrow.xlsx"
    assert cli(capsys, "--project", str(path), "export", "xlsx", str(out))[0] == 0
    wb = load_workbook(out, read_only=True)
    assert "Attributes" not in wb.sheetnames
    header = next(wb["Coded segments"].iter_rows(values_only=True))
    assert "site" in header
