"""The export screen, driven with Pilot on a tiny test app: the files it writes open in openpyxl
and as REFI-QDA archives and hold the project's codings; bad paths show one line and write
nothing. Also the domain helper behind it (:mod:`qualcode.interop.export_all`)."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Label, ProgressBar

from qualcode.coding.codes import code_paths
from qualcode.errors import QualcodeError
from qualcode.interop.export_all import (
    FORMAT_BY_KEY,
    ExportProgress,
    default_output,
    human_size,
    project_label,
    run_export,
    slug,
    with_format,
)
from qualcode.store.models import Coder, Coding, Document, Setting
from qualcode.tui.screens.export import EXPORT, ExportScreen

from .screen_harness import TEXTS, Harness, Proj, build_project, run, until

NS = {"q": "urn:QDA-XML:project:1.0"}
TODAY = dt.date.today().isoformat()


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "study.db")
    yield built
    built.project.dispose()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory of the app: default exports go to ``workdir/exports``."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def export_screen(app: Harness) -> ExportScreen:
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def stored_codings(proj: Proj, coder: str | None = None) -> list[tuple[Any, ...]]:
    """(coding id, document, coder, code path, start, end, text) from the store."""
    with proj.project.session() as s:
        paths = code_paths(s)
        stmt = (
            select(Coding.id, Document.name, Coder.name, Coding.code_id, Coding.start, Coding.end)
            .join(Coder, Coding.coder_id == Coder.id)
            .join(Document, Coding.document_id == Document.id)
        )
        if coder is not None:
            stmt = stmt.where(Coder.name == coder)
        rows = s.execute(stmt).all()
    return sorted(
        (cid, doc, who, paths[code], a, b, TEXTS[doc][a:b]) for cid, doc, who, code, a, b in rows
    )


def segments_sheet(path: Path) -> list[tuple[Any, ...]]:
    """The coded segments sheet's rows as (coding, document, coder, code, start, end, text)."""
    wb = load_workbook(path, read_only=True)
    try:
        rows = list(wb["Coded segments"].iter_rows(values_only=True))
    finally:
        wb.close()
    header = list(rows[0])
    pick = [header.index(h) for h in ("Coding", "Document", "Coder", "Code", "Start", "End")]
    text = header.index("Coded text")
    return sorted((*(row[i] for i in pick), row[text]) for row in rows[1:])


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its contents (None for folders)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


async def loaded(pilot: Pilot[None], screen: ExportScreen) -> Input:
    path = screen.query_one("#export-path", Input)
    await until(pilot, lambda: bool(path.value))
    return path


async def finished(pilot: Pilot[None], screen: ExportScreen) -> None:
    await until(pilot, lambda: not screen.running and (screen.done or screen.error) is not None)


def test_xlsx_export_to_the_default_path_holds_the_projects_codings(
    proj: Proj, workdir: Path
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        path = await loaded(pilot, screen)
        assert path.value == f"exports/study-{TODAY}.xlsx"
        assert not (workdir / "exports").exists()
        await pilot.press("e")
        await finished(pilot, screen)
        assert screen.error is None
        bar = screen.query_one("#export-progress", ProgressBar)
        assert bar.progress == bar.total
        seen["result"] = str(screen.query_one("#export-result", Label).render())
        seen["done"] = screen.done

    run(proj, ExportScreen, scenario)
    target = workdir / "exports" / f"study-{TODAY}.xlsx"
    assert seen["done"].path == target
    assert f"Written to {target}" in seen["result"]
    assert human_size(target.stat().st_size) in seen["result"]
    assert segments_sheet(target) == stored_codings(proj)
    assert len(segments_sheet(target)) == 4


def test_only_my_codings_keeps_the_coders_codings(proj: Proj, workdir: Path) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        path = await loaded(pilot, screen)
        path.value = "mine.xlsx"
        await pilot.press("m")
        assert screen.query_one("#export-mine", Checkbox).value
        await pilot.press("e")
        await finished(pilot, screen)
        assert screen.error is None

    run(proj, ExportScreen, scenario, coder="ben")
    rows = segments_sheet(workdir / "mine.xlsx")
    assert rows == stored_codings(proj, "ben")
    assert {r[2] for r in rows} == {"ben"} and len(rows) == 2


def test_qdpx_export_is_a_refi_archive_with_the_codings(proj: Proj, workdir: Path) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        path = await loaded(pilot, screen)
        await pilot.press("f", "f")  # xlsx -> csv -> qdpx
        assert screen.format.key == "qdpx"
        assert path.value == f"exports/study-{TODAY}.qdpx"
        assert screen.query_one("#export-mine", Checkbox).disabled
        await pilot.press("e")
        await finished(pilot, screen)
        assert screen.error is None

    run(proj, ExportScreen, scenario)
    target = workdir / "exports" / f"study-{TODAY}.qdpx"
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert "project.qde" in names
        root = ElementTree.fromstring(zf.read("project.qde"))
        sources = root.findall("q:Sources/q:TextSource", NS)
        texts = {
            s.get("name"): zf.read("sources/" + s.get("plainTextPath").removeprefix("internal://"))
            for s in sources
        }
    assert {name: data.decode() for name, data in texts.items()} == TEXTS
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    selections = sorted(
        (
            s_el.get("name"),
            users[sel.get("creatingUser")],
            int(sel.get("startPosition")),
            int(sel.get("endPosition")),
        )
        for s_el in sources
        for sel in s_el.findall("q:PlainTextSelection", NS)
    )
    expected = sorted((doc, who, a, b) for _c, doc, who, _p, a, b, _t in stored_codings(proj))
    assert selections == expected


@pytest.mark.parametrize("key", ["csv", "qdc"])
def test_csv_and_qdc_exports(proj: Proj, workdir: Path, key: str) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        await loaded(pilot, screen)
        screen.set_format(FORMAT_BY_KEY[key])
        await pilot.press("e")
        await finished(pilot, screen)
        assert screen.error is None

    run(proj, ExportScreen, scenario)
    if key == "csv":
        folder = workdir / "exports" / f"study-{TODAY}"
        with (folder / "coded_segments.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert sorted(int(r["coding_id"]) for r in rows) == [c[0] for c in stored_codings(proj)]
        assert {r["text"] for r in rows} == {c[6] for c in stored_codings(proj)}
    else:
        target = workdir / "exports" / f"study-{TODAY}.qdc"
        root = ElementTree.fromstring(target.read_bytes())
        names = {c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
        assert names == {"Triage", "Plea bargaining", "Lab backlog"}


def test_a_folder_that_cannot_be_made_shows_an_error_and_writes_nothing(
    proj: Proj, workdir: Path
) -> None:
    (workdir / "blocker").write_text("a file, not a folder")
    before = tree(workdir)
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        path = await loaded(pilot, screen)
        path.value = "blocker/sub/out.xlsx"
        path.focus()
        await pilot.press("enter")
        await finished(pilot, screen)
        seen["error"] = screen.error
        seen["shown"] = str(screen.query_one("#export-result", Label).render())
        assert screen.query_one("#export-result", Label).has_class("-error")
        assert screen.done is None

    run(proj, ExportScreen, scenario)
    assert "cannot make folder" in seen["error"] and "blocker" in seen["error"]
    assert "\n" not in seen["shown"] and seen["shown"] == seen["error"]
    assert tree(workdir) == before


def test_a_failed_export_removes_the_folder_it_made(proj: Proj, workdir: Path) -> None:
    """Only my codings for a coder without codings: refused after exports/ was made."""
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        await loaded(pilot, screen)
        await pilot.press("m", "e")
        await finished(pilot, screen)
        seen["error"] = screen.error

    run(proj, ExportScreen, scenario, coder="zed")
    assert "no coder 'zed'" in seen["error"]
    assert tree(workdir) == {}


def test_an_existing_file_is_replaced_only_when_asked_again(proj: Proj, workdir: Path) -> None:
    (workdir / "old.xlsx").write_bytes(b"old")

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = export_screen(app)
        path = await loaded(pilot, screen)
        path.value = "old.xlsx"
        await pilot.press("e")
        await pilot.pause()
        assert not screen.running and screen.done is None
        assert "exists" in str(screen.query_one("#export-stage", Label).render())
        assert (workdir / "old.xlsx").read_bytes() == b"old"
        await pilot.press("e")
        await finished(pilot, screen)
        assert screen.error is None

    run(proj, ExportScreen, scenario)
    assert segments_sheet(workdir / "old.xlsx") == stored_codings(proj)


# -- the domain helper ----------------------------------------------------------------------------


def test_default_output_and_format_switches() -> None:
    day = dt.date(2025, 3, 9)
    assert slug("Prosecutors and CSAM cases (demo)") == "prosecutors-and-csam-cases-demo"
    assert slug("  ¿¡ !") == "project"
    xlsx, csv_fmt = FORMAT_BY_KEY["xlsx"], FORMAT_BY_KEY["csv"]
    assert default_output("My Study", xlsx, day) == Path("exports/my-study-2025-03-09.xlsx")
    assert default_output("My Study", csv_fmt, day) == Path("exports/my-study-2025-03-09")
    assert with_format("out/a.xlsx", FORMAT_BY_KEY["qdpx"]) == "out/a.qdpx"
    assert with_format("out/a.qdpx", csv_fmt) == "out/a"
    assert with_format("out/a", FORMAT_BY_KEY["qdc"]) == "out/a.qdc"
    assert with_format("v1.2/notes.txt", xlsx) == "v1.2/notes.txt.xlsx"
    assert [human_size(n) for n in (0, 1023, 1536, 5 * 1024**2)] == [
        "0 bytes",
        "1,023 bytes",
        "1.5 KB",
        "5.0 MB",
    ]


def test_run_export_reports_its_stages_and_uses_the_project_name(
    proj: Proj, tmp_path: Path
) -> None:
    with proj.project.write() as s:
        s.add(Setting(key="project_name", value="Plea study"))
    stages: list[ExportProgress] = []
    done = run_export(proj.project, "xlsx", tmp_path / "a" / "b.xlsx", progress=stages.append)
    assert done.path == tmp_path / "a" / "b.xlsx" and done.size == done.path.stat().st_size
    assert [p.step for p in stages] == [0, 1, 2, 3] and {p.total for p in stages} == {3}
    with pytest.raises(QualcodeError, match=r"must end in \.xlsx"):
        run_export(proj.project, "xlsx", tmp_path / "c.csv")
    assert not (tmp_path / "c.csv").exists()
    assert project_label(proj.project) == "Plea study"


def test_every_export_key_has_an_id_and_an_action() -> None:
    assert all(k.id.startswith("export.") for k in EXPORT.keys)
    for key in EXPORT.keys:
        assert hasattr(ExportScreen, f"action_{key.action.split('(')[0]}"), key.id
