"""The faces of qualcode on each backend (issue 7): the TUI, ``qualcode agreement`` and the
xlsx and qdpx exports, run on a SQLite file and on a PostgreSQL database (``backend_url``)."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from qualcode.cli import main
from qualcode.coding import add_coding, code_paths
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Code, Coder, Coding, Document, Project, Segment, open_project
from qualcode.tui.app import create_app

from .tui.conftest import Drive, build_small

Row = tuple[str, str, str, int, int]  # document, code path, coder, start, end


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    try:
        main(list(args))
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    return capsys.readouterr().out


def fill(project: Project, texts: dict[str, str], codings: list[Row]) -> None:
    """Documents (one sentence segment per '...[.?!]'), codes by path, then the codings."""
    with project.write() as s:
        for name, text in texts.items():
            digest = hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()
            doc = Document(
                name=name, text=text, sha256=digest, source_name=name, source_format="txt"
            )
            s.add(doc)
            s.flush()
            for m in re.finditer(r"[^ .?!][^.?!]*[.?!]", text):
                s.add(Segment(document_id=doc.id, kind="sentence", start=m.start(), end=m.end()))
        ids: dict[str, int] = {}
        for path in sorted({c[1] for c in codings}):
            parent = ids.get(path.rpartition("/")[0])
            code = Code(name=path.rpartition("/")[2], parent_id=parent, guid=str(uuid.uuid4()))
            s.add(code)
            s.flush()
            ids[path] = code.id
        for doc_name, path, coder, start, end in codings:
            add_coding(s, document=doc_name, code=path, coder=coder, start=start, end=end)


def stored(project: Project) -> set[Row]:
    with project.session() as s:
        paths = code_paths(s)
        rows = s.execute(
            select(Document.name, Coding.code_id, Coder.name, Coding.start, Coding.end)
            .join(Document, Coding.document_id == Document.id)
            .join(Coder, Coding.coder_id == Coder.id)
        ).all()
    return {(d, paths[c], k, a, b) for d, c, k, a, b in rows}


# --- the TUI ------------------------------------------------------------------------------


def test_tui_codes_removes_and_undoes_in_the_store(any_project: Project) -> None:
    small = build_small(any_project)
    drive = Drive()
    doc = small.docs["P01.txt"]
    text = small.text("P01.txt")
    start = text.index("Plea deals are common here.")
    end = start + len("Plea deals are common here.")
    seen: list[list[tuple[int, int, str, int, int]]] = []

    def mine() -> list[tuple[int, int, str, int, int]]:
        with any_project.session() as s:
            rows = s.execute(
                select(Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end)
                .join(Coder, Coding.coder_id == Coder.id)
                .where(Coder.name == "ana")
            ).all()
        return [tuple(r) for r in rows]

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, doc)
        screen.view.move_to(start + 3)
        await pilot.press("s")
        assert screen.view.selected_span == (start, end)
        await drive.keys(pilot, screen, "k")  # Triage
        seen.append(mine())
        await drive.keys(pilot, screen, "x")
        seen.append(mine())
        await drive.keys(pilot, screen, "u")
        seen.append(mine())

    drive.run(create_app(any_project, "ana"), scenario)
    coding = (doc, small.codes["Triage"], "ana", start, end)
    assert seen == [[coding], [], [coding]]
    assert mine() == [coding]
    assert len(small.codings("bob")) == 2  # the other coder's codings are untouched


# --- agreement ----------------------------------------------------------------------------

SENTENCES = [f"Sentence number {i} is here." for i in range(10)]
A_CODED, B_CODED = [0, 1, 2, 3], [0, 1, 2, 5]


def test_agreement_json_on_each_backend(
    any_project: Project, backend_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = " ".join(SENTENCES)
    spans = [(m.start(), m.end()) for m in re.finditer(r"Sentence[^.]*\.", text)]
    assert len(spans) == 10
    codings = [("D1", "Triage", "alice", *spans[i]) for i in A_CODED]
    codings += [("D1", "Triage", "bob", *spans[i]) for i in B_CODED]
    fill(any_project, {"D1": text}, codings)

    out = run(
        capsys, "agreement", "--project", backend_url, "--coders", "alice,bob",
        "--unit", "sentence", "--samples", "100", "--json",
    )  # fmt: skip
    report = json.loads(out)
    assert report["unit"] == "sentence" and report["coders"] == ["alice", "bob"]
    (triage,) = report["codes"]
    # 10 sentences: both yes 3 (s0 s1 s2), alice only s3, bob only s5, both no 5.
    yes_a, yes_b, units = len(A_CODED), len(B_CODED), 10
    both = len(set(A_CODED) & set(B_CODED))
    agree = both + (units - len(set(A_CODED) | set(B_CODED)))
    po = agree / units
    pe = (yes_a / units) * (yes_b / units) + (1 - yes_a / units) * (1 - yes_b / units)
    assert (po, round(pe, 10)) == (0.8, 0.52)
    assert triage["code"] == "Triage" and triage["units"] == units
    assert triage["percent_agreement"] == pytest.approx(po)
    assert triage["cohen_kappa"] == pytest.approx((po - pe) / (1 - pe))
    assert triage["cohen_kappa"] == pytest.approx(7 / 12)
    assert triage["usage"] == {"alice": 4, "bob": 4}


# --- exports ------------------------------------------------------------------------------

TEXTS = {
    "one.txt": "We are slow. The lab is far behind. Pleas end most cases.",
    "two.txt": "Trials are rare. Nobody waits that long. Eleven months is normal.",
}
PHRASES = [
    ("one.txt", "Caseload", "ana", "We are slow."),
    ("one.txt", "Caseload/Backlog", "ana", "The lab is far behind."),
    ("one.txt", "Caseload/Backlog", "ben", "lab is far"),
    ("one.txt", "Triage", "ben", "Pleas end most cases."),
    ("two.txt", "Triage", "ana", "Trials are rare."),
    ("two.txt", "Caseload/Backlog", "ben", "Eleven months"),
]


def test_xlsx_and_qdpx_exports_on_each_backend(
    any_project: Project, backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[Row] = []
    for doc, path, coder, phrase in PHRASES:
        start = TEXTS[doc].index(phrase)
        rows.append((doc, path, coder, start, start + len(phrase)))
    fill(any_project, TEXTS, rows)
    assert stored(any_project) == set(rows)
    with any_project.session() as s:
        ids = {
            (d, a, b, k): cid
            for cid, d, a, b, k in s.execute(
                select(Coding.id, Document.name, Coding.start, Coding.end, Coder.name)
                .join(Document, Coding.document_id == Document.id)
                .join(Coder, Coding.coder_id == Coder.id)
            )
        }

    xlsx = tmp_path / "out.xlsx"
    run(capsys, "export", "xlsx", str(xlsx), "--project", backend_url)
    sheet = openpyxl.load_workbook(xlsx)["Coded segments"]
    header, *body = list(sheet.iter_rows(values_only=True))
    cells = [dict(zip(header, r, strict=True)) for r in body]
    got = {
        (r["Coding"], r["Document"], r["Code"], r["Coder"], r["Start"], r["End"], r["Coded text"])
        for r in cells
    }
    want = {(ids[d, a, b, k], d, p, k, a, b, TEXTS[d][a:b]) for d, p, k, a, b in rows}
    assert len(cells) == len(rows) and got == want

    qdpx = tmp_path / "out.qdpx"
    run(capsys, "export", "qdpx", str(qdpx), "--project", backend_url)
    with zipfile.ZipFile(qdpx) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert len(re.findall(r"<PlainTextSelection\b", qde)) == len(rows)

    fresh = open_project(tmp_path / "fresh.db", create=True)
    try:
        import_qdpx(fresh, qdpx, actor="test")
        assert stored(fresh) == set(rows)
    finally:
        fresh.dispose()


# --- saturation and the HTML report --------------------------------------------------------


def test_saturation_and_report_on_each_backend(
    any_project: Project, backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[Row] = []
    for doc, path, coder, phrase in PHRASES:
        start = TEXTS[doc].index(phrase)
        rows.append((doc, path, coder, start, start + len(phrase)))
    fill(any_project, TEXTS, rows)
    data = json.loads(run(capsys, "saturation", "--project", backend_url, "--json"))
    # one.txt: Caseload, Caseload/Backlog, Triage; two.txt adds nothing new
    assert [(d["document"], d["new_codes"], d["cumulative_codes"]) for d in data["documents"]] == [
        ("one.txt", 3, 3),
        ("two.txt", 0, 3),
    ]
    out = tmp_path / "report.html"
    run(capsys, "report", str(out), "--project", backend_url)
    html = out.read_text(encoding="utf-8")
    cells = dict(
        re.findall(r'<tr data-row="([^"]*)"><td data-col="position" data-value="(\d+)"', html)
    )
    assert cells == {"one.txt": "1", "two.txt": "2"}
    assert 'data-glance="codings" data-value="6"' in html
    assert "Backlog" in html and "The lab is far behind." in html  # a quote
