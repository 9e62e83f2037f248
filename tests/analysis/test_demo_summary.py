"""The caseload summary on the demo project (built from corpus/ by the lead's build_demo)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    demo = pytest.importorskip("qualcode.demo", reason="qualcode.demo is not there yet")
    if not hasattr(demo, "build_demo"):
        pytest.skip("qualcode.demo has no build_demo yet")
    transcripts = sorted((REPO / "corpus").glob("P*.txt"))
    if len(transcripts) < 24 or not (REPO / "corpus" / "participants.csv").exists():
        pytest.skip(f"demo corpus incomplete: {len(transcripts)} of 24 transcripts")
    from qualcode.store import open_project

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    project = open_project(path, create=True)
    demo.build_demo(project)
    project.dispose()
    yield str(path)


def test_demo_summary_by_state(demo_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        main(["caseload", "summary", "--by", "state", "--json", "--project", demo_project])
    except SystemExit as exc:
        assert exc.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    overall = data["overall"]
    assert overall["n"] == 24 and overall["missing"] == 0
    assert len(data["groups"]) == 16
    assert (overall["min"], overall["max"]) == (10, 100)
    assert round(overall["mean"], 1) == 51.1
    assert sum(g["n"] for g in data["groups"]) == 24


def test_demo_suggestions_agree_with_the_attribute(
    demo_project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        main(["caseload", "suggest", "--json", "--project", demo_project])
    except SystemExit as exc:
        assert exc.code in (0, None)
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 24
    assert [r["participant"] for r in rows if not r["agrees"]] == []
