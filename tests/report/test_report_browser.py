"""The report of the demo project in a real browser (headless Chromium, Debian's ``chromium``):
it loads with no error and asks the network for nothing, and the figures it shows equal what
the CLI prints with ``--json`` for the same project.

Without Chromium the tests skip, except in CI (``QUALCODE_REQUIRE_PG=1``, set by ``.ci/run``,
which installs it), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from qualcode.demo import build_demo
from qualcode.report.build import write_report
from qualcode.store import open_project

from ..run_cli import cli

pytestmark = pytest.mark.slow

#: what Chromium asks for by itself (time, accounts...) has no origin; a page's request has one
BROWSER_OWN = "not an origin"


def chromium() -> str:
    found = os.environ.get("QUALCODE_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None
    )
    if found:
        return found
    problem = "no chromium on PATH (apt-get install chromium)"
    if os.environ.get("QUALCODE_REQUIRE_PG"):
        pytest.fail(problem)
    pytest.skip(problem)


@dataclass
class Loaded:
    dom: str
    stderr: str
    #: (url, initiator) of every request in the net log
    requests: list[tuple[str, str]] = field(default_factory=list)


def load(page: Path, work: Path) -> Loaded:
    """Open ``page`` in headless Chromium; its DOM after loading, and its network requests."""
    netlog = work / "net.json"
    run = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--no-first-run",
            f"--user-data-dir={work / 'profile'}",
            f"--log-net-log={netlog}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hung browser, not a measure of anything
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests = [
        (str(e["params"]["url"]), str(e["params"].get("initiator", "")))
        for e in log["events"]
        if e["type"] == start_job and "url" in e.get("params", {})
    ]
    return Loaded(run.stdout, run.stderr, requests)


def page_requests(loaded: Loaded) -> list[str]:
    """The network requests the page made (http, https, ws...), not Chromium's own."""
    return [
        url
        for url, initiator in loaded.requests
        if initiator != BROWSER_OWN and not url.startswith(("file:", "data:", "about:"))
    ]


class Figures(HTMLParser):
    """The report's machine-readable figures: ``tables[name]`` is a list of (row key,
    {column: value}); ``glance[key]`` the numbers at the top."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.glance: dict[str, Any] = {}
        self.sections: list[str] = []
        self._table = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("id"):
            self.sections.append(str(a["id"]))
        elif tag == "table" and a.get("data-table"):
            self._table = str(a["data-table"])
            self.tables[self._table] = []
        elif tag == "tr" and a.get("data-row") is not None and self._table:
            self.tables[self._table].append((str(a["data-row"]), {}))
        elif tag == "td" and a.get("data-col") is not None and self._table:
            self.tables[self._table][-1][1][str(a["data-col"])] = json.loads(str(a["data-value"]))
        elif tag == "li" and a.get("data-glance"):
            self.glance[str(a["data-glance"])] = json.loads(str(a["data-value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = ""

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        return dict(self.tables[table])


@dataclass
class Rendered:
    project: str
    loaded: Loaded
    figures: Figures


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    work = tmp_path_factory.mktemp("report")
    path = str(work / "demo.db")
    project = open_project(path, create=True)
    build_demo(project)
    out = write_report(project, work / "report.html")
    project.dispose()
    loaded = load(out, work)
    figures = Figures()
    figures.feed(loaded.dom)
    yield Rendered(path, loaded, figures)


def cli_json(capsys: pytest.CaptureFixture[str], project: str, *args: str) -> Any:
    code, out, err = cli(capsys, "--project", project, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_browser_catches_a_page_that_fetches(tmp_path: Path) -> None:
    """The check below can fail: a page with a web font and a remote image is caught."""
    page = tmp_path / "fetches.html"
    page.write_text(
        "<!DOCTYPE html><html><head><style>@font-face{font-family:x;"
        "src:url(https://fonts.example.invalid/x.woff2)} body{font-family:x}</style></head>"
        '<body>hi<img src="http://127.0.0.1:9/x.png"></body></html>',
        encoding="utf-8",
    )
    urls = page_requests(load(page, tmp_path))
    assert "http://127.0.0.1:9/x.png" in urls
    assert "https://fonts.example.invalid/x.woff2" in urls


def test_the_report_loads_offline_with_no_error(rendered: Rendered) -> None:
    assert page_requests(rendered.loaded) == []
    assert "Uncaught" not in rendered.loaded.stderr
    assert rendered.loaded.dom.rstrip().endswith("</html>")
    assert rendered.figures.sections == [
        "glance",
        "frequencies",
        "attributes",
        "cooccurrence",
        "agreement",
        "features",
        "saturation",
        "quotes",
        "codebook",
        "audit",
        "methods",
    ]
    assert "<script" not in rendered.loaded.dom
    assert rendered.loaded.dom.count("<svg") >= 5  # frequencies, 2 heatmaps, histogram, curve


def test_glance_and_frequencies_equal_the_cli(
    rendered: Rendered, capsys: pytest.CaptureFixture[str]
) -> None:
    glance = rendered.figures.glance
    assert glance["documents"] == len(cli_json(capsys, rendered.project, "documents"))
    assert glance["participants"] == len(cli_json(capsys, rendered.project, "participants"))
    assert glance["codings"] == len(cli_json(capsys, rendered.project, "codings"))
    shown = rendered.figures.rows("frequencies")
    rows = cli_json(capsys, rendered.project, "frequencies")["rows"]
    assert len(shown) == len(rows)
    for r in rows:
        cells = shown[r["code"] + (" (+ children)" if r["rolled_up"] else "")]
        for col in ("codings", "documents", "participants", "words"):
            assert cells[col] == r[col], (r["code"], col)
        assert cells["pct_participants"] == pytest.approx(r["pct_participants"])


def test_matrix_and_cooccurrence_equal_the_cli(
    rendered: Rendered, capsys: pytest.CaptureFixture[str]
) -> None:
    for attribute in ("office_type", "state"):
        data = cli_json(capsys, rendered.project, "matrix", "--cols", attribute)
        shown = rendered.figures.rows(f"matrix:{attribute}")
        assert list(shown) == [r["code"] for r in data["data"]]
        for r in data["data"]:
            assert [shown[r["code"]][c] for c in data["columns"]] == r["values"]
    pairs = cli_json(capsys, rendered.project, "cooccurrence")["pairs"]
    shown_pairs = rendered.figures.tables["cooccurrence"]
    assert [(c["code_a"], c["code_b"], c["count"], c["documents"]) for _k, c in shown_pairs] == [
        (p["code_a"], p["code_b"], p["count"], p["documents"]) for p in pairs[: len(shown_pairs)]
    ]
    assert shown_pairs


def test_agreement_equals_the_cli(rendered: Rendered, capsys: pytest.CaptureFixture[str]) -> None:
    report = cli_json(capsys, rendered.project, "agreement")
    shown = rendered.figures.rows("agreement")
    expected = [
        *((r["code"], r) for r in report["codes"]),
        ("(all codes pooled)", report["overall"]),
    ]
    assert list(shown) == [key for key, _r in expected]
    for key, r in expected:
        cells = shown[key]
        assert cells["units"] == pytest.approx(r["units"])
        assert cells["percent_agreement"] == pytest.approx(r["percent_agreement"])
        assert cells["cohen_kappa"] == pytest.approx(r["cohen_kappa"])
        assert cells["krippendorff_alpha"] == pytest.approx(r["krippendorff_alpha"])
        alpha = None if r["alpha_low"] is None else [r["alpha_low"], r["alpha_high"]]
        kappa = None if r["kappa_low"] is None else [r["kappa_low"], r["kappa_high"]]
        assert cells["alpha_interval"] == (pytest.approx(alpha) if alpha else None), key
        assert cells["kappa_interval"] == (pytest.approx(kappa) if kappa else None), key
        assert cells["verdict"] == (r["verdict"] or "n/a")
    verdicts = {c["verdict"] for c in shown.values()}
    assert {"reliable", "unreliable"} <= verdicts  # the demo has both: both are coloured
    assert 'class="reliable' in rendered.loaded.dom and 'class="unreliable' in rendered.loaded.dom


def test_saturation_equals_the_cli(rendered: Rendered, capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, rendered.project, "saturation")
    shown = rendered.figures.rows("saturation")
    assert list(shown) == [d["document"] for d in data["documents"]]
    for d in data["documents"]:
        cells = shown[d["document"]]
        for col in ("position", "new_codes", "new_pairs", "cumulative_codes", "share_of_codes"):
            assert cells[col] == d[col], (d["document"], col)
        assert cells["band"] == [d["band_low"], d["band_high"]]
    at = data["saturation"]["at_position"]
    assert f"saturation reached at document {at}" in rendered.loaded.dom.lower()


def test_the_caseload_summary_equals_the_cli(
    rendered: Rendered, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = cli_json(capsys, rendered.project, "summary", "csam_share_pct", "--by", "office_type")
    rows = [cells for _k, cells in rendered.figures.tables["caseload_summary"]]
    overall = next(c for c in rows if c["by"] == "all")
    for stat in ("mean", "sd", "median", "q1", "q3"):
        assert overall[f"{stat}_pct"] == pytest.approx(summary["overall"][stat])
    assert overall["n"] == summary["overall"]["n"]
    by_office = {c["group"]: c for c in rows if c["by"] == "office_type"}
    for group in summary["groups"]:
        assert by_office[group["group"]]["mean_pct"] == pytest.approx(group["mean"])
    histogram = rendered.figures.tables["caseload_histogram"]
    assert sum(c["participants"] for _k, c in histogram) == summary["overall"]["n"]
