"""The analysis commands as a script uses them: JSON on stdout, errors as one line, exit 2."""

from __future__ import annotations

import json
import statistics
from typing import TYPE_CHECKING, Any

import pytest

from ..run_cli import cli as run

if TYPE_CHECKING:
    from conftest import Built


def run_json(capsys: pytest.CaptureFixture[str], built: Built, *args: str) -> Any:
    code, out, err = run(capsys, *args, "--json", "--project", str(built.project.path))
    assert code == 0, err
    return json.loads(out)


def test_summary_of_any_number_attribute_json(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, built, "summary", "years", "--by", "state")
    assert data["attribute"] == "years"
    assert data["by"] == "state"
    assert "type 7" in data["quartile_method"]
    years = list(built.years.values())  # 5, 12, 5, 12: checked with the standard library
    overall = data["overall"]
    assert overall["n"] == 4 and overall["missing"] == 0
    assert overall["mean"] == pytest.approx(statistics.mean(years))
    assert overall["sd"] == pytest.approx(statistics.stdev(years))
    assert overall["median"] == pytest.approx(statistics.median(years))
    q1, _q2, q3 = statistics.quantiles(years, n=4, method="inclusive")
    assert (overall["q1"], overall["q3"]) == (pytest.approx(q1), pytest.approx(q3))
    assert [g["group"] for g in data["groups"]] == ["Ohio", "Texas", "(no value)"]
    ohio = [built.years[p] for p, state in built.state.items() if state == "Ohio"]
    assert data["groups"][0]["mean"] == pytest.approx(statistics.mean(ohio))
    assert data["groups"][2]["n"] == 1  # P4 has no state


def test_summary_of_an_unknown_or_text_attribute_is_one_line(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    for attribute, message in (("height", "no attribute 'height'"), ("state", "not a number")):
        code, out, err = run(capsys, "summary", attribute, "--project", str(built.project.path))
        assert (code, out) == (2, "")
        assert message in err and "Traceback" not in err


def test_frequencies_json_and_coder_filter(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = run_json(capsys, built, "frequencies")["rows"]
    own = {r["code"]: r["codings"] for r in rows if not r["rolled_up"]}
    assert own["Triage"] == sum(1 for c in built.codings if c[1] == "Triage")
    bob = run_json(capsys, built, "frequencies", "--coder", "bob")
    assert bob["coders"] == ["bob"] and bob["by_coder"] is None
    own_bob = {r["code"]: r["codings"] for r in bob["rows"] if not r["rolled_up"]}
    assert own_bob["Triage"] == sum(1 for c in built.codings if c[1:3] == ("Triage", "bob"))
    grouped = run_json(capsys, built, "frequencies", "--by", "coder")
    assert {r["group"] for r in grouped["rows"]} == {"ann", "bob"}


def test_environment_coder_does_not_filter(
    built: Built, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALCODE_CODER", "bob")
    rows = run_json(capsys, built, "frequencies")["rows"]
    total = sum(r["codings"] for r in rows if not r["rolled_up"])
    assert total == len(built.codings)


def test_matrix_json(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, built, "matrix", "--cols", "state", "--presence")
    assert data["measure"] == "participants"
    assert data["columns"] == ["Ohio", "Texas", "(no value)"]
    cells = {r["code"]: r["values"] for r in data["data"]}
    assert cells["Triage"] == [2, 0, 0]  # P1 (d1) and P2 (d2); d4 has no participant
    counts = run_json(capsys, built, "matrix")
    assert counts["columns"] == ["P1", "P2", "P3", "P4"]
    assert {r["code"]: r["values"] for r in counts["data"]}["Triage"] == [1, 2, 0, 0]


def test_cooccurrence_json(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, built, "cooccurrence", "--unit", "document")
    assert data["coders"] == ["ann", "bob"]
    rows = data["pairs"]
    assert rows and set(rows[0]) == {"code_a", "code_b", "count", "documents"}
    assert all(r["code_a"] < r["code_b"] for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cooccurrence", "--unit", "page"], "unknown unit"),
        (["frequencies", "--by", "county"], "no attribute"),
        (["frequencies", "--coder", "zed"], "no coder"),
        (["matrix", "--rows", "participant"], "--rows"),
        (["summary", "years", "--by", "nope"], "no attribute"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    built: Built, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args, "--project", str(built.project.path))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_tables_print_without_json(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["frequencies"], ["matrix"], ["cooccurrence"], ["summary", "years"]):
        code, out, err = run(capsys, *args, "--project", str(built.project.path))
        assert code == 0, err
        assert out.strip()
