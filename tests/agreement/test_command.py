"""``qualcode agreement`` and ``qualcode disagreements`` through qualcode.cli.main."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from qualcode.store import Project

from ..run_cli import cli as run

TEXT = "".join(f"Sentence{i}." for i in range(6))
SEGMENTS = {"sentence": [(i * 10, i * 10 + 10) for i in range(6)]}
P = "Triage/Plea bargaining"
CODINGS = [
    ("D1", P, "alice", 0, 15),
    ("D1", P, "alice", 40, 45),
    ("D1", P, "bob", 5, 10),
    ("D1", P, "bob", 22, 28),
    ("D1", P, "bob", 41, 50),
    ("D1", "Caseload", "alice", 0, 20),
    ("D1", "Caseload", "bob", 0, 20),
    ("D2", "Caseload", "alice", 0, 10),
    ("D2", "Caseload", "bob", 50, 60),
    ("D2", "Caseload", "carol", 0, 10),
]


@pytest.fixture
def path(make_project: Any) -> str:
    project: Project = make_project({n: (TEXT, SEGMENTS) for n in ("D1", "D2")}, CODINGS)
    assert project.path is not None
    return str(project.path)


def test_json_report(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "agreement",
        "--project",
        path,
        "--coders",
        "alice,bob",
        "--samples",
        "300",
        "--json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["unit"] == "sentence" and report["coders"] == ["alice", "bob"]
    plea = next(r for r in report["codes"] if r["code"] == P)
    # D1: alice s0 s1 s4, bob s0 s2 s4; D2: 6 x (0,0). 12 units, 10 agree; both coders 3
    # yes: pe = (3/12)^2 + (9/12)^2 = 90/144 -> kappa (120 - 90) / (144 - 90) = 5/9;
    # alpha: n = 24, n1 = 6, n0 = 18, o01 = 2 -> 1 - 23 * 2 / 108.
    assert plea["units"] == 12
    assert plea["percent_agreement"] == pytest.approx(10 / 12)
    assert plea["cohen_kappa"] == pytest.approx(5 / 9)
    assert plea["krippendorff_alpha"] == pytest.approx(1 - 46 / 108)
    assert plea["usage"] == {"alice": 2, "bob": 3}
    # Kappa's standard error (Fleiss, Cohen & Everitt 1969; formula in test_project_report):
    # table 2, 1, 1, 8, margins 3/12 and 9/12, pe = 5/8. Diagonal 2/12 (1 - 1/2 * 4/9)^2 +
    # 8/12 (1 - 3/2 * 4/9)^2 = 85/486; off-diagonal (4/9)^2 * 2/12 * 1^2 = 8/243;
    # (5/9 - 5/8 * 4/9)^2 = 25/324; var = (85/486 + 16/486 - 25/324) / (12 * (3/8)^2)
    # = 508/6561, se = .2783; 95% interval 5/9 -/+ 1.96 se, clipped to 1 above.
    se = math.sqrt(508 / 6561)
    assert plea["kappa_se"] == pytest.approx(se)
    assert plea["kappa_low"] == pytest.approx(5 / 9 - 1.959964 * se)
    assert plea["kappa_high"] == 1.0
    # pooled over codes: the codes of one sentence are not independent units
    assert report["overall"]["kappa_se"] is None
    assert "independent" in report["overall"]["not_computable"]["kappa_se"]
    assert all("kappa_se" in r and "kappa_low" in r for r in report["by_document"])
    assert {"alpha_low", "alpha_high", "verdict", "overall", "by_document", "by_pair"} <= (
        set(plea) | set(report)
    )
    assert "fleiss_kappa" not in plea


def test_default_coders_are_everyone_with_codings(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "agreement", "--project", path, "--unit", "document", "--samples", "200", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["coders"] == ["alice", "bob", "carol"] and report["kappa"] == "fleiss_kappa"
    assert report["single_coder_documents"] == []
    caseload = next(r for r in report["codes"] if r["code"] == "Caseload")
    # D1: alice and bob coded Caseload, carol has not coded D1 (missing); D2: all three.
    # Every rating is "present": 100% agreement, kappa and alpha 0/0 -> null.
    assert caseload["percent_agreement"] == 1.0
    assert caseload["fleiss_kappa"] is None and caseload["verdict"] is None
    assert caseload["kappa_se"] is None and "0/0" in caseload["not_computable"]["kappa_se"]
    assert [r["coders"] for r in report["by_pair"]] == [
        ["alice", "bob"],
        ["alice", "carol"],
        ["bob", "carol"],
    ]


def test_codes_option_selects_codes_by_path(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "agreement", "--project", path, "--coders", "alice,bob",
        "--unit", "overlap", "--threshold", "0.8", "--codes", f"{P}", "--json", "--samples", "200",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert [r["code"] for r in report["codes"]] == [P]
    assert report["threshold"] == 0.8


def test_table_output(
    path: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "agreement", "--project", path, "--coders", "alice,bob")
    assert code == 0
    assert "Agreement by sentence: alice, bob" in out
    assert P in out and "overall" in out and "Cohen κ" in out
    assert "95% CI (κ)" in out and "95% CI (α)" in out
    # Plea bargaining: kappa 5/9 with se .2783 -> 0.010 – 1.000 (see test_json_report)
    assert "0.010 – 1.000" in out
    assert "unreliable" in out  # Plea bargaining: alpha = .574
    assert "By document" in out
    code, out, _ = run(capsys, "agreement", "--project", path, "--unit", "overlap")
    assert code == 0
    assert "Agree = matched codings / all codings" in out
    assert "n/a: not computed at the overlap unit" in out


def test_user_errors_exit_2(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    for args, message in [
        (["--coders", "alice,zoe"], "no coder 'zoe'"),
        (["--coders", "alice"], "at least two coders"),
        (["--unit", "word"], "unknown unit"),
        (["--codes", "Nope"], "no code 'Nope'"),
        (["--unit", "paragraph"], "no paragraph segments"),
        (["--unit", "overlap", "--threshold", "0"], "threshold"),
    ]:
        code, _, err = run(capsys, "agreement", "--project", path, *args)
        assert code == 2, args
        assert message in err
        assert "Traceback" not in err


def test_disagreements_command(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "disagreements", "--project", path, "--code", P, "--coders", "alice,bob", "--json"
    )
    assert code == 0
    items = json.loads(out)
    assert [(d["kind"], d["start"], d["end"]) for d in items] == [
        ("different_spans", 0, 15),
        ("b_not_a", 22, 28),
        ("different_spans", 40, 50),
    ]
    assert items[1]["text"] == TEXT[22:28]
    code, out, _ = run(
        capsys, "disagreements", "--project", path, "--code", P, "--coders", "alice,bob"
    )
    assert code == 0 and "different spans" in out
    code, _, err = run(capsys, "disagreements", "--project", path, "--code", P, "--coders", "a")
    assert code == 2 and "exactly two coders" in err


def test_character_unit_with_three_coders_and_a_document_one_coded(
    make_project: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12: this crashed with "need at least one array to concatenate" (the pair alice &
    # bob has no coder in D3, which only carol coded).
    codings = [*CODINGS, ("D3", "Caseload", "carol", 0, 30)]
    project: Project = make_project({n: (TEXT, SEGMENTS) for n in ("D1", "D2", "D3")}, codings)
    path = str(project.path)
    code, out, err = run(capsys, "agreement", "--project", path, "--unit", "character")
    assert code == 0, err
    assert "Coded by one coder only, not compared: D3" in out
    code, out, _ = run(
        capsys, "agreement", "--project", path, "--unit", "character", "--json", "--samples", "200"
    )
    report = json.loads(out)
    pairs = {tuple(r["coders"]): r for r in report["by_pair"]}
    # pooled over the two codes: 2 x (D1 and D2, 60 characters each)
    assert pairs["alice", "bob"]["units"] == 240
    assert pairs["alice", "carol"]["units"] == 120  # D2 only: carol did not code D1


def test_disagreements_default_to_the_two_coders_and_every_code(
    make_project: Any, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    two = [c for c in CODINGS if c[2] != "carol"]
    project: Project = make_project({n: (TEXT, SEGMENTS) for n in ("D1", "D2")}, two)
    code, out, err = run(capsys, "disagreements", "--project", str(project.path), "--json")
    assert code == 0, err
    found = [(d["code"], d["document"], d["kind"], d["coder_a"]) for d in json.loads(out)]
    assert found == [
        ("Caseload", "D2", "a_not_b", "alice"),
        ("Caseload", "D2", "b_not_a", "alice"),
        (P, "D1", "different_spans", "alice"),
        (P, "D1", "b_not_a", "alice"),
        (P, "D1", "different_spans", "alice"),
    ]
    code, out, _ = run(capsys, "disagreements", "--project", str(project.path))
    assert code == 0 and out.startswith(
        "all codes: alice not bob 1, bob not alice 2, different spans 2"
    )
    # three coders with codings: which two is the user's choice
    code, _, err = run(capsys, "disagreements", "--project", path)
    assert code == 2 and "3 coders have codings (alice, bob, carol)" in err
    code, out, _ = run(capsys, "disagreements", "--project", path, "--coders", "alice,carol")
    assert code == 0 and "all codes: alice not carol" in out
