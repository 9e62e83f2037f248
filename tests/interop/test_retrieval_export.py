"""Retrieved segments saved as CSV or Excel: ``retrieve --out`` (the retrieval screen's save
uses the same writer, tested in tests/tui/test_retrieval_save.py)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ..coding.conftest import Small, add_codings, build_small
from ..run_cli import cli


@pytest.fixture
def coded(tmp_path: Path) -> Iterator[Small]:
    small = build_small(tmp_path / "p.db")
    add_codings(
        small,
        [
            ("P01.txt", "Plea bargaining", "ana", "Plea deals"),
            ("P02.txt", "Plea bargaining", "ben", "Rarely."),
            ("P02.txt", "Lab backlog", "ana", "The lab is fast here."),
        ],
    )
    yield small
    small.project.dispose()


def test_retrieve_out_csv_and_xlsx_hold_what_json_shows(
    coded: Small, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = coded.project.url
    code, out, _ = cli(capsys, "retrieve", "Plea bargaining", "--json", "--project", db)
    assert code == 0
    segments = json.loads(out)["segments"]
    assert len(segments) == 2
    target = tmp_path / "plea.csv"
    code, out, err = cli(
        capsys, "retrieve", "Plea bargaining", "--out", str(target), "--json", "--project", db
    )
    assert code == 0, err
    assert json.loads(out)["segments"] == segments  # stdout is unchanged by --out
    assert "saved 2 segment(s)" in err
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["document"], r["coder"], r["text"]) for r in rows] == [
        (s["document"], s["coder"], s["text"]) for s in segments
    ]
    assert rows[0]["after"] == segments[0]["after"] == " are common."
    assert rows[1]["participant"] == "P02" and rows[1]["speaker"] == "P02"
    assert [int(r["start"]) for r in rows] == [s["start"] for s in segments]

    book = tmp_path / "plea.xlsx"
    code, _, err = cli(capsys, "retrieve", "Plea bargaining", "-o", str(book), "--project", db)
    assert code == 0, err
    ws = load_workbook(book, read_only=True)["Retrieved segments"]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    assert cells[0][:3] == ["Coding", "Document", "Participant"]
    assert [(r[1], r[5], r[9]) for r in cells[1:]] == [
        (s["document"], s["coder"], s["text"]) for s in segments
    ]
    assert cells[1][6] == segments[0]["start"]  # offsets stay numbers

    code, _, err = cli(
        capsys, "retrieve", "Plea bargaining", "-o", str(tmp_path / "x.txt"), "--project", db
    )
    assert code == 2 and ".csv or an .xlsx" in err
    assert not (tmp_path / "x.txt").exists()
