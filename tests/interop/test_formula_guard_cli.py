"""Text that a spreadsheet would run as a formula after leading white space (`` =1+1``) is
neutralised in CSV and xlsx exports, like text that starts with ``=``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from qualcode.interop.safe_cells import csv_value, xlsx_value

from ..run_cli import cli

HOSTILE = [" =1+1", '\u00a0=HYPERLINK("x")', "\n@SUM(A1)", "  +1", "\u200b-2+3", "\ufeff=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_leading_white_space_does_not_hide_a_formula(text: str) -> None:
    assert csv_value(text) == "'" + text
    assert xlsx_value(text) == "'" + text
    assert csv_value(" plain text") == " plain text"


def test_a_memo_with_a_spaced_formula_is_neutralised_in_both_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proj = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", proj)[0] == 0
    memos = [" =1+1", "\t =2+2"]
    for body in memos:
        code, out, err = cli(capsys, "--project", proj, "--coder", "ana", "memo", body)
        assert code == 0, out + err
    assert cli(capsys, "--project", proj, "export", "csv", str(tmp_path / "csv"))[0] == 0
    with (tmp_path / "csv" / "memos.csv").open(encoding="utf-8", newline="") as f:
        bodies = {r["memo"] for r in csv.DictReader(f)}
    assert {"'" + m for m in memos} <= bodies
    code, out, err = cli(
        capsys, "--project", proj, "export", "xlsx", str(tmp_path / "p.xlsx"), "--json"
    )
    assert code == 0, err
    wb = openpyxl.load_workbook(json.loads(out)["path"])
    cells = {c.value for ws in wb for row in ws.iter_rows() for c in row}
    assert {"'" + m for m in memos} <= cells
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"
                if isinstance(c.value, str):
                    stripped = c.value.lstrip()
                    assert not stripped or stripped[0] not in "=+-@", (ws.title, c.value)
