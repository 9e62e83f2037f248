"""``qualcode export csv DIR``: one UTF-8 CSV file per sheet, neutralised text, numbers as
numbers, counts against the test's own, safe file names, all-or-nothing writes, and ``--only``
(for the workbook too)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from qualcode.cli import main
from qualcode.codebook import Codebook, CodeSpec, apply_codebook
from qualcode.coding import add_coding
from qualcode.errors import QualcodeError
from qualcode.interop import csv_export
from qualcode.interop.csv_export import export_csv, safe_filename
from qualcode.interop.tables_for_export import ExportFilters
from qualcode.store import Attribute, AttributeValue, Document, Participant, Project, open_project
from tests.run_cli import cli

TEXTS = {
    "a.txt": "P1: The lab is slow. =1+1 was typed here. We plead most cases.",
    "b.txt": "P2: Forty files. @home I read them. Nobody helps.",
}
OWNER = {"a.txt": "P1", "b.txt": "+P2"}
SHARE = {"P1": 12.5, "+P2": 80.0}
CODINGS = [  # (document, code, coder, phrase, memo)
    ("a.txt", "Delay", "ana", "The lab is slow.", "-check"),
    ("a.txt", "Delay/Lab", "ana", "The lab is slow.", None),
    ("a.txt", "Delay/Lab", "ben", "The lab", None),
    ("a.txt", "Pleas", "ana", "=1+1 was typed here.", None),
    ("a.txt", "Pleas", "ben", "We plead most cases.", "=cmd"),
    ("b.txt", "Delay", "ben", "Forty files.", None),
    ("b.txt", "Pleas", "ana", "@home I read them.", None),
]
FILES = [
    "overview.csv", "code_frequencies.csv", "frequency_chart.csv", "code_by_participant.csv",
    "cooccurrence.csv", "coded_segments.csv", "caseload_shares.csv", "caseload_summary.csv",
    "caseload_histogram.csv", "memos.csv", "codebook.csv",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Path]]:
    folder = tmp_path_factory.mktemp("csv")
    project = open_project(folder / "p.db", create=True)
    book = Codebook(codes=[CodeSpec("Delay", children=[CodeSpec("Lab")]), CodeSpec("Pleas")])
    with project.write() as s:
        apply_codebook(s, book, actor="test")
        share = Attribute(name="csam_share_pct", kind="number")
        s.add(share)
        people = {label: Participant(label=label) for label in SHARE}
        s.add_all(people.values())
        s.flush()
        for label, p in people.items():
            s.add(
                AttributeValue(
                    participant_id=p.id, attribute_id=share.id, number_value=SHARE[label]
                )
            )
        for name, text in TEXTS.items():
            digest = hashlib.sha256(text.encode()).hexdigest()
            s.add(Document(name=name, text=text, sha256=digest, source_name=name,
                           source_format="txt", participant_id=people[OWNER[name]].id))  # fmt: skip
        s.flush()
        for doc, code, coder, phrase, memo in CODINGS:
            start = TEXTS[doc].index(phrase)
            add_coding(s, document=doc, code=code, coder=coder, start=start,
                       end=start + len(phrase), memo=memo)  # fmt: skip
    yield project, folder
    project.dispose()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_one_file_per_sheet_with_headers(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    out = folder / "all"
    result = export_csv(project, out)
    # two coders but no sentence segments: the agreement table is left out, and says why
    assert "agreement" not in {p.stem for p in out.iterdir()}
    assert result.notes["agreement"].startswith("left out")
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert list(result.sheets) == FILES
    segments = read(out / "coded_segments.csv")
    assert list(segments[0]) == [
        "coding_id", "document", "participant", "csam_share_pct", "coder", "code", "start",
        "end", "before", "text", "after", "memo",
    ]  # fmt: skip
    assert len(segments) == len(CODINGS) == result.sheets["coded_segments.csv"]
    for name in FILES:
        assert pd.read_csv(out / name).shape[0] == result.sheets[name]


def test_text_is_neutralised_and_numbers_are_numbers(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    out = folder / "safe"
    export_csv(project, out)
    segments = read(out / "coded_segments.csv")
    assert {r["memo"] for r in segments if r["memo"]} == {"'-check", "'=cmd"}
    assert {r["participant"] for r in segments} == {"P1", "'+P2"}
    assert "'=1+1 was typed here." in {r["text"] for r in segments}
    assert "'@home I read them." in {r["text"] for r in segments}
    for path in out.iterdir():
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row), path.name
    shares = pd.read_csv(out / "caseload_shares.csv")
    assert dict(zip(shares["participant"], shares["csam_share_pct"], strict=True)) == {
        "P1": 12.5, "'+P2": 80.0,
    }  # fmt: skip
    starts = pd.read_csv(out / "coded_segments.csv")["start"]
    assert starts.dtype.kind == "i"


def test_frequencies_match_an_independent_count(sample: tuple[Project, Path]) -> None:
    project, folder = sample
    out = folder / "freq"
    export_csv(project, out)
    frame = pd.read_csv(out / "code_frequencies.csv")
    overall = frame[(frame["by"] == "all") & ~frame["rolled_up"]]
    assert dict(zip(overall["code"], overall["codings"], strict=True)) == dict(
        Counter(code for _d, code, *_r in CODINGS)
    )
    rolled = frame[(frame["by"] == "all") & frame["rolled_up"]]
    assert rolled[["code", "codings"]].values.tolist() == [["Delay", 4]]
    pct = dict(zip(overall["code"], overall["pct_participants"], strict=True))
    assert pct == {"Delay": 100.0, "Delay/Lab": 50.0, "Pleas": 100.0}  # points, not fractions


def test_filters_bom_and_cli(
    sample: tuple[Project, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, folder = sample
    out = folder / "ben"
    export_csv(project, out, ExportFilters(coder="ben", codes=("Delay",)), bom=True)
    raw = (out / "coded_segments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert {(r["coder"], r["code"]) for r in rows} == {("ben", "Delay/Lab"), ("ben", "Delay")}
    with pytest.raises(SystemExit) as done:
        main(["export", "csv", str(folder / "cli"), "--project", str(folder / "p.db"), "--json"])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["sheets"]["overview.csv"] > 10
    with pytest.raises(SystemExit) as done:
        main(["export", "csv", str(folder / "p.db"), "--project", str(folder / "p.db")])
    assert done.value.code == 2
    assert "is a file" in capsys.readouterr().err


def test_nothing_is_half_written(
    sample: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, folder = sample
    out = folder / "atomic"
    out.mkdir()
    (out / "overview.csv").write_text("old\n", encoding="utf-8")
    real = csv_export.write_csv

    def failing(table: object, path: Path, *, bom: bool = False) -> int:
        if "segments" in path.name:
            raise OSError("disk full")
        return real(table, path, bom=bom)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_export, "write_csv", failing)
    with pytest.raises(OSError):
        export_csv(project, out)
    assert [p.name for p in out.iterdir()] == ["overview.csv"]
    assert (out / "overview.csv").read_text(encoding="utf-8") == "old\n"
    with pytest.raises(QualcodeError, match="no coder"):
        export_csv(project, folder / "never", ExportFilters(coder="nobody"))
    assert not (folder / "never").exists()


def test_safe_file_names() -> None:
    assert safe_filename("code_frequencies") == "code_frequencies.csv"
    assert safe_filename("../../etc/passwd") == "etc_passwd.csv"
    assert safe_filename("Café: crème/brûlée") == "Cafe_creme_brulee.csv"
    assert safe_filename("CON") == "CON_.csv" and safe_filename("lpt1") == "lpt1_.csv"
    assert safe_filename("...") == "table.csv" and safe_filename("=cmd") == "cmd.csv"
    assert len(safe_filename("x" * 300)) == 104


def test_only_some_tables_cli(
    sample: tuple[Project, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """``--only`` (repeated or comma-separated) writes those tables, as the whole export has
    them; in a workbook the Overview lists only the sheets written."""
    from openpyxl import load_workbook

    project, folder = sample
    db = str(folder / "p.db")
    export_csv(project, folder / "whole")
    only = ["--only", "coded_segments,codebook", "--only", "coded_segments"]
    code, out, _err = cli(capsys, "--project", db, "export", "csv", str(folder / "some"), *only)
    assert code == 0, out
    assert sorted(p.name for p in (folder / "some").iterdir()) == [
        "codebook.csv", "coded_segments.csv",
    ]  # fmt: skip
    for name in ("codebook.csv", "coded_segments.csv"):
        assert (folder / "some" / name).read_bytes() == (folder / "whole" / name).read_bytes()
    assert "not among the tables asked for" in out
    # a study feature's table, by its key, and the order given does not matter
    code, out, _err = cli(capsys, "--project", db, "export", "csv", str(folder / "feature"),
                          "--only", "memos,caseload_histogram")  # fmt: skip
    assert code == 0, out
    written = folder / "feature"
    assert sorted(p.name for p in written.iterdir()) == ["caseload_histogram.csv", "memos.csv"]
    assert out.index("caseload_histogram.csv") < out.index("memos.csv")
    for name in ("caseload_histogram.csv", "memos.csv"):
        assert (written / name).read_bytes() == (folder / "whole" / name).read_bytes()

    book = folder / "some.xlsx"
    code, out, _err = cli(capsys, "--project", db, "export", "xlsx", str(book),
                          "--only", "overview,coded_segments")  # fmt: skip
    assert code == 0, out
    wb = load_workbook(book, read_only=True)
    assert wb.sheetnames == ["Overview", "Coded segments"]
    segments = list(wb["Coded segments"].values)
    assert len(segments) == len(CODINGS) + 1
    at = segments[0].index("Coded text")
    whole = read(folder / "whole" / "coded_segments.csv")
    assert [r[at] for r in segments[1:]] == [r["text"] for r in whole]
    sheets = [r[0] for r in wb["Overview"].values if str(r[0]).startswith("Sheet: ")]
    assert sheets == ["Sheet: Overview", "Sheet: Coded segments"]
    wb.close()


def test_only_refuses_an_unknown_table_and_writes_nothing(
    sample: tuple[Project, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _project, folder = sample
    db = str(folder / "p.db")
    for kind, target in (("csv", folder / "refused"), ("xlsx", folder / "refused.xlsx")):
        code, _out, err = cli(capsys, "--project", db, "export", kind, str(target),
                              "--only", "coded_segments,segments")  # fmt: skip
        assert code == 2
        assert len(err.strip().splitlines()) == 1
        assert "'segments'" in err
        assert "coded_segments" in err and "caseload_shares" in err and "codebook" in err
        assert not target.exists()
    # the agreement alone, left out (no sentences to compare by): nothing to write
    code, _out, err = cli(capsys, "--project", db, "export", "csv", str(folder / "refused"),
                          "--only", "agreement")  # fmt: skip
    assert code == 2
    assert "no agreement table to export: left out" in err
    assert not (folder / "refused").exists()
