"""Numbers are read strictly and every ``--json`` is valid JSON (issue 19, item 8): ``1_2`` is
not 12, ``inf`` and ``nan`` are not numbers, a caseload share is 0 to 100, and no ``NaN`` or
``Infinity`` is ever printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..run_cli import cli

REPO = Path(__file__).resolve().parents[2]


def strict_json(text: str) -> Any:
    """Parse JSON as the standard defines it: NaN, Infinity and -Infinity are errors."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    return path


def _participants(proj: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = cli(capsys, "--project", proj, "participants", "--json")
    assert code == 0, out + err
    result: list[dict[str, Any]] = strict_json(out)
    return result


def _refused(code: int, out: str, err: str) -> str:
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    return " ".join(err.split())


@pytest.mark.parametrize("value", ["1_2", "inf", "-Infinity", "nan", "1e999", "١٢", "0x10"])
def test_a_number_column_refuses_what_is_not_plain_decimal(
    value: str, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"participant,years:number\nP1,{value}\n", "utf-8")
    flat = _refused(*cli(capsys, "--project", proj, "attributes", "import", str(path)))
    assert repr(value) in flat and "people.csv" in flat
    assert _participants(proj, capsys) == []
    flat = _refused(*cli(capsys, "--project", proj, "attributes", "set", "P1", f"n:number={value}"))
    assert repr(value) in flat
    assert _participants(proj, capsys) == []


@pytest.mark.parametrize("value", ["6", "-1.5", "+2", ".5", "2.", "1e3", "1.5E-2"])
def test_plain_decimal_numbers_are_numbers(
    value: str, proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--project", proj, "attributes", "set", "P1", f"n:number={value}")
    assert code == 0, out + err
    assert _participants(proj, capsys)[0]["attributes"]["n"] == float(value)


def test_an_underscored_number_is_a_word_not_twelve(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("participant,code\nP1,1_2\nP2,inf\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "attributes", "import", str(path))
    assert code == 0, out + err
    values = {p["participant"]: p["attributes"]["code"] for p in _participants(proj, capsys)}
    assert values == {"P1": "1_2", "P2": "inf"}


@pytest.mark.parametrize("share", ["-50", "150", "100.5"])
def test_a_caseload_share_outside_0_to_100_is_refused_everywhere(
    share: str, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"participant,csam_share_pct\nP1,40\nP2,{share}\n", "utf-8")
    flat = _refused(*cli(capsys, "--project", proj, "attributes", "import", str(path)))
    assert "csam_share_pct" in flat and "0 to 100" in flat and repr(share) in flat
    assert _participants(proj, capsys) == []
    args = ["--project", proj, "attributes", "set", "P1", f"csam_share_pct={share}"]
    flat = _refused(*cli(capsys, *args))
    assert "0 to 100" in flat
    assert _participants(proj, capsys) == []
    code, out, err = cli(capsys, "--project", proj, "attributes", "set", "P1", "csam_share_pct=0")
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", proj, "attributes", "set", "P1", "csam_share_pct=100")
    assert code == 0, out + err
    flat = _refused(*cli(capsys, *args))
    assert _participants(proj, capsys)[0]["attributes"]["csam_share_pct"] == 100


def test_a_statistic_that_is_undefined_prints_as_null(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One participant: a sample standard deviation is undefined, and JSON has no NaN."""
    code, out, err = cli(capsys, "--project", proj, "attributes", "set", "P1", "years:number=6")
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", proj, "summary", "years", "--json")
    assert code == 0, out + err
    data = strict_json(out)
    assert data["overall"]["n"] == 1 and data["overall"]["sd"] is None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if len(list((REPO / "corpus").glob("P*.txt"))) < 24:
        pytest.skip("the demo corpus is not there")
    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    from qualcode.cli import main

    try:
        main(["demo", "--project", path])
    except SystemExit as exc:
        assert not exc.code
    yield path


JSON_COMMANDS = [
    ["documents"],
    ["participants"],
    ["codings"],
    ["memos"],
    ["codebook", "show"],
    ["summary", "years_experience", "--by", "state"],
    ["frequencies"],
    ["matrix"],
    ["cooccurrence"],
    ["agreement"],
    ["agreement", "--unit", "paragraph", "--samples", "200"],
    ["disagreements"],
    ["caseload", "summary", "--by", "office_type"],
    ["caseload", "suggest"],
    ["segments", "P01", "--unit", "turn"],
    ["retrieve", "Caseload", "--descendants"],
]


@pytest.mark.parametrize("command", JSON_COMMANDS, ids=lambda c: " ".join(c))
def test_every_json_output_on_the_demo_is_strict_json(
    command: list[str], demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--project", demo, *command, "--json")
    assert code == 0, out + err
    assert strict_json(out) not in (None, [], {})


def test_the_one_json_printer_never_writes_nan_or_infinity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The safety net under every ``--json``: a non-finite number that reaches the printer
    (numpy's too) is written as null."""
    import numpy as np

    from qualcode.commands.common import print_json

    print_json({"a": float("nan"), "b": [float("inf"), (np.float64("-inf"), 1.5)], "c": "nan"})
    assert strict_json(capsys.readouterr().out) == {"a": None, "b": [None, [None, 1.5]], "c": "nan"}
