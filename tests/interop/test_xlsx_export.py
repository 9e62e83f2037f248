"""The Excel export on a small hand-built project: every sheet and chart, formula-injection
safety, numbers against the test's own counts, formatting, filters, atomic writes, the CLI and
(where installed) LibreOffice."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from qualcode.cli import main
from qualcode.codebook import Codebook, CodeSpec, apply_codebook
from qualcode.coding import add_coding, add_memo
from qualcode.errors import QualcodeError
from qualcode.interop import xlsx_sheets
from qualcode.interop.tables_for_export import ExportFilters
from qualcode.interop.xlsx_workbook import export_xlsx
from qualcode.store import (
    Attribute,
    AttributeValue,
    Document,
    Participant,
    Project,
    Segment,
    open_project,
)

TEXTS = {
    "d1.txt": "Interviewer: How busy are you?\n\nP1: We are slow. The lab is far behind.\n\n"
    "=SUM(A1:A9) is what the memo said.\n",
    "d2.txt": "Interviewer: Tell me more.\n\nP2: Pleas end most cases. +1 for trials.\n",
    "d3.txt": "Interviewer: And you?\n\nP3: -5 cases a week. All I do is this work.\n",
}
OWNER = {"d1.txt": "P1", "d2.txt": "P2", "d3.txt": "=P3"}
STATE = {"P1": "Ohio", "P2": "@Texas", "=P3": "Ohio"}
SHARE = {"P1": 10.0, "P2": 55.0, "=P3": 100.0}
# (document, code path, coder, coded phrase, memo)
CODINGS = [
    ("d1.txt", "Caseload/Volume", "ana", "We are slow.", '=HYPERLINK("http://x","y")'),
    ("d1.txt", "Caseload/Volume", "ben", "We are slow.", None),
    ("d1.txt", "Caseload/Backlog", "ana", "The lab is far behind.", "@SUM(A1)"),
    ("d1.txt", "Triage", "ana", "The lab is far", None),
    ("d1.txt", "@risk", "ben", "=SUM(A1:A9) is what the memo said.", "\tTAB"),
    ("d2.txt", "Triage", "ana", "Pleas end most cases.", "\rCR"),
    ("d2.txt", "Triage", "ben", "Pleas end most cases.", None),
    ("d2.txt", "Caseload", "ben", "+1 for trials.", "-1 disagree"),
    ("d3.txt", "Caseload/Backlog", "ana", "-5 cases a week.", None),
    ("d3.txt", "Caseload/Backlog", "ben", "-5 cases a week.", None),
    ("d3.txt", "Triage", "ben", "All I do is this work.", None),
]
SHEETS = [
    "Overview",
    "Code frequencies",
    "Frequency chart",
    "Code by participant",
    "Co-occurrence",
    "Coded segments",
    "Caseload shares",
    "Caseload summary",
    "Caseload histogram",
    "Memos",
    "Agreement",
    "Codebook",
]
DANGER = ("=", "+", "-", "@", "\t", "\r")


def build_sample(path: Path) -> Project:
    project = open_project(path, create=True)
    book = Codebook(
        name="Sample book",
        version="2",
        codes=[
            CodeSpec("Caseload", description="=cmd|' /C calc'!A0", children=[
                CodeSpec("Volume", inclusion="Counts of cases."),
                CodeSpec("Backlog", example="-We are behind."),
            ]),
            CodeSpec("Triage"),
            CodeSpec("@risk"),
        ],
    )  # fmt: skip
    with project.write() as s:
        apply_codebook(s, book, actor="test")
        state = Attribute(name="state", kind="text")
        share = Attribute(name="csam_share_pct", kind="number")
        s.add_all([state, share])
        people = {label: Participant(label=label) for label in STATE}
        s.add_all(people.values())
        s.flush()
        for label, p in people.items():
            s.add(
                AttributeValue(participant_id=p.id, attribute_id=state.id, text_value=STATE[label])
            )
            s.add(
                AttributeValue(
                    participant_id=p.id, attribute_id=share.id, number_value=SHARE[label]
                )
            )
        for name, text in TEXTS.items():
            doc = Document(
                name=name,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                source_name=name,
                source_format="txt",
                participant_id=people[OWNER[name]].id,
            )
            s.add(doc)
            s.flush()
            for m in re.finditer(r"[^.?\n][^.?\n]*[.?]?", text):
                s.add(Segment(document_id=doc.id, kind="sentence", start=m.start(), end=m.end()))
        for name, code, coder, phrase, memo in CODINGS:
            start = TEXTS[name].index(phrase)
            add_coding(
                s, document=name, code=code, coder=coder, start=start, end=start + len(phrase),
                memo=memo,
            )  # fmt: skip
        add_memo(s, body="=1+1 is not a formula here", coder="ana", title="Plan")
        add_memo(s, body="Read twice.", coder="ben", target="document", ref="d1.txt")
        add_memo(s, body="Broad.", coder="ana", target="code", ref="Caseload")
        add_memo(s, body="The first cases.", coder="ana", target="annotation", ref="d3.txt",
                 start=0, end=5)  # fmt: skip
    return project


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Path]]:
    folder = tmp_path_factory.mktemp("xlsx")
    project = build_sample(folder / "sample.db")
    yield project, folder
    project.dispose()


@pytest.fixture(scope="module")
def workbook(sample: tuple[Project, Path]) -> Path:
    project, folder = sample
    out = folder / "all.xlsx"
    result = export_xlsx(project, out)
    assert result.path == out
    return out


def test_every_sheet_opens_in_openpyxl_and_pandas(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == SHEETS
    frames = pd.read_excel(workbook, sheet_name=None)
    assert list(frames) == SHEETS
    assert len(frames["Coded segments"]) == len(CODINGS)
    assert len(frames["Caseload shares"]) == len(STATE)
    assert frames["Codebook"]["Code"].tolist() == [
        "Caseload", "Caseload/Volume", "Caseload/Backlog", "Triage", "'@risk",
    ]  # fmt: skip


def test_native_charts_exist(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    charted = {ws.title: ws._charts for ws in wb if ws._charts}
    assert set(charted) == {"Frequency chart", "Caseload histogram"}
    bar, histogram = charted["Frequency chart"][0], charted["Caseload histogram"][0]
    assert (bar.tagname, bar.type) == ("barChart", "bar")
    assert (histogram.tagname, histogram.type) == ("barChart", "col")
    assert len(bar.series) == len(histogram.series) == 1


def test_formula_injection_is_neutralised(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(DANGER), (ws.title, cell.coordinate)
    segments = wb["Coded segments"]
    header = [c.value for c in segments[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in segments.iter_rows(2)]
    memos = {r["Memo"] for r in rows if r["Memo"]}
    assert memos == {"'" + m for _d, _c, _k, _p, m in CODINGS if m}
    assert "'=SUM(A1:A9) is what the memo said." in {r["Coded text"] for r in rows}
    assert {r["Participant"] for r in rows} == {"P1", "P2", "'=P3"}
    assert {r["state"] for r in rows} == {"Ohio", "'@Texas"}
    assert {r["Start"] for r in rows} == {TEXTS[d].index(p) for d, _c, _k, p, _m in CODINGS}
    assert "'=cmd|' /C calc'!A0" in texts and "'-We are behind." in texts


def test_numbers_stay_numbers(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    shares = {r[0]: r[2] for r in wb["Caseload shares"].iter_rows(2, values_only=True)}
    assert shares == {"P1": 0.10, "P2": 0.55, "'=P3": 1.0}
    cell = wb["Caseload shares"]["C2"]
    assert (cell.data_type, cell.number_format) == ("n", "0.0%")


def frequencies(workbook: Path) -> pd.DataFrame:
    frame = pd.read_excel(workbook, sheet_name="Code frequencies")
    frame["Code"] = frame["Code"].str.removeprefix("'")
    return frame


def test_frequencies_match_an_independent_count(workbook: Path) -> None:
    frame = frequencies(workbook)
    overall = frame[frame["Grouped by"] == "all"]
    plain = overall[overall["With sub-codes"] == "no"]
    own = dict(zip(plain["Code"], plain["Codings"], strict=True))
    expected = Counter(code for _d, code, *_rest in CODINGS)
    assert own == {c: expected.get(c, 0) for c in own}
    assert set(own) == {"Caseload", "Caseload/Volume", "Caseload/Backlog", "Triage", "@risk"}
    rolled = overall[overall["With sub-codes"] == "yes"]
    assert rolled["Code"].tolist() == ["Caseload"]
    assert rolled["Codings"].tolist() == [sum(1 for c in CODINGS if c[1].startswith("Caseload"))]
    by_coder = frame[(frame["Grouped by"] == "coder") & (frame["With sub-codes"] == "no")]
    counted = Counter((coder, code) for _d, code, coder, *_rest in CODINGS)
    got = {
        (g, c): n
        for g, c, n in zip(by_coder["Group"], by_coder["Code"], by_coder["Codings"], strict=True)
    }
    assert got == dict(counted)
    people = {code: {OWNER[d] for d, c, *_r in CODINGS if c == code} for code in expected}
    pct = dict(zip(plain["Code"], plain["% of participants"], strict=True))
    assert pct["Triage"] == pytest.approx(len(people["Triage"]) / len(STATE))  # 1.0 is 100%
    assert pct["@risk"] == pytest.approx(1 / 3)


def test_sheets_are_formatted(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    for ws in wb:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        header = ws["A1"]
        assert header.font.b and header.fill.fgColor.rgb.endswith("1F4E78")
        assert ws.column_dimensions["A"].width > 6
    pct = wb["Code frequencies"]["H2"]
    assert pct.number_format == "0.0%" and 0 <= pct.value <= 1
    alpha = wb["Agreement"]["E2"]
    assert alpha.number_format == "0.000"


def test_overview_and_agreement(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    overview = dict(wb["Overview"].iter_rows(2, values_only=True))
    assert overview["Codebook"] == "Sample book" and overview["Codebook version"] == "2"
    assert overview["Codings exported"] == len(CODINGS) and overview["Coders"] == "ana, ben"
    assert str(overview["Agreement"]).startswith("by sentence, coders ana, ben")
    agreement = pd.read_excel(workbook, sheet_name="Agreement")
    assert agreement["Code"].iloc[-1] == "(all codes pooled)"
    assert agreement["Codings: ana"].iloc[-1] == sum(1 for c in CODINGS if c[2] == "ana")


def test_one_coder_and_some_codes(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    out = folder / "ana.xlsx"
    result = export_xlsx(project, out, ExportFilters(coder="ana", codes=("Caseload",)))
    assert "Agreement" not in result.sheets
    assert "one coder" in result.notes["agreement"]
    frames = pd.read_excel(out, sheet_name=None)
    assert "Agreement" not in frames
    wanted = [c for c in CODINGS if c[2] == "ana" and c[1].startswith("Caseload")]
    assert len(frames["Coded segments"]) == len(wanted)
    assert set(frames["Coded segments"]["Code"]) == {"Caseload/Volume", "Caseload/Backlog"}
    overview = dict(zip(frames["Overview"]["Item"], frames["Overview"]["Value"], strict=True))
    assert overview["Filter: coder"] == "ana"
    assert overview["Agreement"].startswith("left out")


def test_bad_filters_and_targets(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    with pytest.raises(QualcodeError, match="no coder 'zed'"):
        export_xlsx(project, folder / "x.xlsx", ExportFilters(coder="zed"))
    with pytest.raises(QualcodeError, match="no code"):
        export_xlsx(project, folder / "x.xlsx", ExportFilters(codes=("Nope",)))
    with pytest.raises(QualcodeError, match=r"must end in \.xlsx"):
        export_xlsx(project, folder / "x.csv")
    assert not (folder / "x.xlsx").exists()
    (folder / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(QualcodeError, match="cannot make folder"):
        export_xlsx(project, folder / "a-file" / "sub" / "y.xlsx")


def test_a_missing_folder_is_made(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    result = export_xlsx(project, folder / "out" / "deeper" / "x.xlsx")
    assert result.path.is_file()
    assert openpyxl.load_workbook(result.path, read_only=True).sheetnames[0] == "Overview"


def test_a_failed_export_leaves_the_old_file_alone(
    sample: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, folder = sample
    out = folder / "keep" / "report.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    real = xlsx_sheets.write_table
    calls = []

    def failing(wb: openpyxl.Workbook, table: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(wb, table)  # type: ignore[arg-type]

    monkeypatch.setattr("qualcode.interop.xlsx_workbook.write_table", failing)
    with pytest.raises(RuntimeError):
        export_xlsx(project, out)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in out.parent.iterdir()] == ["report.xlsx"]


def test_cli(sample: tuple[Project, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _project, folder = sample
    db, out = str(folder / "sample.db"), str(folder / "cli.xlsx")
    with pytest.raises(SystemExit) as done:
        main(["export", "xlsx", out, "--project", db, "--codes", "Triage,@risk", "--json"])
    assert done.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sheets"]["Coded segments"] == sum(
        1 for c in CODINGS if c[1] in ("Triage", "@risk")
    )
    with pytest.raises(SystemExit) as done:
        main(["export", "xlsx", out, "--project", db, "--coder", "zed"])
    assert done.value.code == 2
    assert "no coder 'zed'" in capsys.readouterr().err


def test_libreoffice_converts_the_workbook(workbook: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "all.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_every_memo_has_a_row_on_the_memos_sheet(workbook: Path) -> None:
    """Memos on the project, a document, a passage, a code and codings: one row each, from
    their one home, whatever face wrote them; text cells are safe from formula injection."""
    wb = openpyxl.load_workbook(workbook)
    sheet = wb["Memos"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    by_on: dict[str, list[str]] = {}
    for r in rows:
        by_on.setdefault(r["On"], []).append(r["Memo"])
    coding_memos = sorted("'" + m if m[0] in DANGER else m for *_x, m in CODINGS if m)
    assert sorted(by_on.pop("coding")) == coding_memos
    assert by_on == {
        "project": ["'=1+1 is not a formula here"],
        "document": ["Read twice."],
        "code": ["Broad."],
        "annotation": ["The first cases."],
    }
    (passage,) = [r for r in rows if r["On"] == "annotation"]
    assert (passage["Document"], passage["Start"], passage["End"]) == ("d3.txt", 0, 5)
