"""Agreement on small SQLite projects, every figure worked out by hand in the comments."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import pytest

from qualcode.agreement.disagreements import list_disagreements
from qualcode.agreement.intervals import cohen_kappa_se_from_table
from qualcode.agreement.project_report import agreement_report, load_coding_data
from qualcode.errors import QualcodeError
from qualcode.store import Project

# Every document: six 10-character sentences, two 30-character turns, two paragraphs.
TEXT = "".join(f"Sentence{i}." for i in range(6))
SEGMENTS = {
    "sentence": [(i * 10, i * 10 + 10) for i in range(6)],
    "turn": [(0, 30), (30, 60)],
    "paragraph": [(0, 20), (20, 60)],
}
P = "Triage/Plea bargaining"
C = "Caseload"
O = "Other"  # noqa: E741
TWO_CODERS = [
    # D1: both coders
    ("D1", P, "alice", 0, 15),
    ("D1", P, "alice", 40, 45),
    ("D1", P, "bob", 5, 10),
    ("D1", P, "bob", 22, 28),
    ("D1", P, "bob", 41, 50),
    ("D1", C, "alice", 0, 20),
    ("D1", C, "alice", 30, 40),
    ("D1", C, "bob", 1, 20),
    ("D1", C, "bob", 30, 35),
    ("D1", C, "bob", 50, 55),
    # D2: bob coded it, but not with Caseload
    ("D2", C, "alice", 0, 10),
    ("D2", O, "bob", 0, 5),
    # D3: both coded only Other
    ("D3", O, "alice", 10, 20),
    ("D3", O, "bob", 10, 20),
    # D4: only alice has coded it yet
    ("D4", C, "alice", 0, 5),
]


@pytest.fixture
def two(make_project: Any) -> Project:
    docs = {name: (TEXT, SEGMENTS) for name in ("D1", "D2", "D3", "D4")}
    project: Project = make_project(docs, TWO_CODERS, extra_codes=("Unused",))
    return project


Z95 = NormalDist().inv_cdf(0.975)


def check_interval(r: dict[str, Any], kappa: float, se: float, low: float, high: float) -> None:
    """The kappa's standard error and its 95% interval (kappa +/- 1.96 se, clipped to [-1, 1])."""
    assert r["kappa_se"] == pytest.approx(se, rel=1e-9)
    assert r["kappa_low"] == pytest.approx(low, rel=1e-9)
    assert r["kappa_high"] == pytest.approx(high, rel=1e-9)
    assert r["kappa_low"] == pytest.approx(max(-1.0, kappa - Z95 * se), rel=1e-9)
    assert r["kappa_high"] == pytest.approx(min(1.0, kappa + Z95 * se), rel=1e-9)


def row(report: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in report["codes"] if r["code"] == code)


def check(r: dict[str, Any], units: float, pa: float, kappa: float | None, alpha: float | None,
          kappa_key: str = "cohen_kappa") -> None:  # fmt: skip
    assert r["units"] == units
    assert r["percent_agreement"] == pytest.approx(pa)
    assert r[kappa_key] == (None if kappa is None else pytest.approx(kappa))
    assert r["krippendorff_alpha"] == (None if alpha is None else pytest.approx(alpha))


def test_sentence_units(two: Project) -> None:
    report = agreement_report(two, unit="sentence", n_boot=500)
    assert report["coders"] == ["alice", "bob"] and report["kappa"] == "cohen_kappa"
    assert [r["code"] for r in report["codes"]] == [C, O, P]
    assert report["single_coder_documents"] == ["D4"]
    # Plea bargaining, sentences of D1: alice s0 s1 s4, bob s0 s2 s4 -> (1,1) (1,0) (0,1)
    # (0,0) (1,1) (0,0); D2 and D3: 12 x (0,0); D4: bob has not coded it, not compared.
    # 18 units, 16 agree -> .8889. Cohen: po = 16/18, pe = (3/18)^2 + (15/18)^2 = 234/324,
    # kappa = (288 - 234) / (324 - 234) = .6. Alpha: n = 36, n1 = 6, n0 = 30, o01 = 2:
    # 1 - 35 * 2 / 180 = .6111 -> unreliable.
    p = row(report, P)
    check(p, 18, 16 / 18, 0.6, 1 - 70 / 180)
    assert p["verdict"] == "unreliable"
    assert p["usage"] == {"alice": 2, "bob": 3}
    assert p["coded_units"] == {"alice": 3, "bob": 3}
    assert -1 <= p["alpha_low"] <= p["krippendorff_alpha"] <= p["alpha_high"] <= 1
    assert set(p["alpha_q"]) == {"0.667", "0.8"}
    # Standard error of Cohen's kappa (Fleiss, Cohen & Everitt 1969), with p_ij the table
    # shares, p_i. and p_.j the margins:
    # var = [sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2 + (1 - k)^2 sum_(i!=j) p_ij (p_.i + p_j.)^2
    #        - (k - pe (1 - k))^2] / (n (1 - pe)^2).
    # Table (yes, yes) 2, (yes, no) 1, (no, yes) 1, (no, no) 14: margins 3/18 and 15/18,
    # k = 3/5, pe = 13/18. Diagonal: 2/18 (1 - 6/18 * 2/5)^2 + 14/18 (1 - 30/18 * 2/5)^2
    # = 2/18 (13/15)^2 + 14/18 (1/3)^2 = 344/2025; off-diagonal: (2/5)^2 * 2/18 * 1^2 = 4/225;
    # (3/5 - 13/18 * 2/5)^2 = (14/45)^2 = 196/2025. var = (344/2025 + 36/2025 - 196/2025) /
    # (18 * (5/18)^2) = (184/2025) * (18/25) = 368/5625, se = .2558. The interval is
    # .6 -/+ 1.96 * .2558 = .0987 to 1.101, clipped to 1.
    se = math.sqrt(368 / 5625)
    check_interval(p, 0.6, se, 0.6 - Z95 * se, 1.0)
    assert report["kappa_interval"]["ci"] == 0.95
    assert "Fleiss, Cohen & Everitt" in report["kappa_interval"]["methods"]["cohen_kappa"]


def test_paragraph_and_turn_units_and_verdicts(two: Project) -> None:
    report = agreement_report(two, unit="paragraph", n_boot=500)
    # Caseload by paragraph ([0,20), [20,60)): D1 (1,1) (1,1); D2: alice p0 -> (1,0), (0,0);
    # D3: (0,0) (0,0). 6 units, 5 agree. Cohen: pe = 3/6*2/6 + 3/6*4/6 = .5 ->
    # (5/6 - .5) / .5 = 2/3. Alpha: n = 12, n1 = 5, n0 = 7, o01 = 1: 1 - 11/35 = .6857.
    c = row(report, C)
    check(c, 6, 5 / 6, 2 / 3, 24 / 35)
    assert c["verdict"] == "tentative"
    turns = agreement_report(two, unit="turn", codes=[P, "Unused"], n_boot=500)
    # Plea bargaining by turn: D1 (1,1) (1,1), D2 and D3 (0,0) x 4: all agree, kappa 1.
    check(row(turns, P), 6, 1.0, 1.0, 1.0)
    assert row(turns, P)["verdict"] == "reliable"
    # A code nobody used: 100% agreement but kappa and alpha are 0/0, reported as null.
    unused = row(turns, "Unused")
    check(unused, 6, 1.0, None, None)
    assert unused["verdict"] is None
    assert "0/0" in unused["not_computable"]["krippendorff_alpha"]
    assert "0/0" in unused["not_computable"]["cohen_kappa"]
    # ... and so are the kappa's standard error and interval, with the same reason.
    assert unused["kappa_se"] is None
    assert unused["kappa_low"] is None and unused["kappa_high"] is None
    assert unused["not_computable"]["kappa_se"] == unused["not_computable"]["cohen_kappa"]


def test_character_units(two: Project) -> None:
    report = agreement_report(two, unit="character", codes=[P], n_boot=500)
    # D1 (60 characters): alice [0,15)+[40,45) = 20, bob [5,10)+[22,28)+[41,50) = 20,
    # both [5,10)+[41,45) = 9, so 11 + 11 disagree and 60 - 31 = 29 neither; D2, D3: 120
    # neither. 180 characters: pa = (9 + 149) / 180. Cohen: pe = (20/180)^2 + (160/180)^2
    # = 26000/32400, po = 28440/32400 -> 2440/6400 = .38125. Alpha: n = 360, n1 = 40,
    # n0 = 320, o01 = 22: 1 - 359 * 22 / 12800.
    check(row(report, P), 180, 158 / 180, 2440 / 6400, 1 - 359 * 22 / 12800)
    assert row(report, P)["coded_units"] == {"alice": 20, "bob": 20}
    # Kappa's standard error with every character a unit (formula in test_sentence_units):
    # table 9, 11, 11, 149 of n = 180, margins 20/180 and 160/180, k = 61/160, pe = 65/81.
    # var = (212581/2304000 - (61/160 - 65/81 * 99/160)^2) / (180 * (16/81)^2)
    # = 14739021/1310720000, se = .1060: .3813 -/+ .2078, not clipped.
    se = math.sqrt(14739021 / 1310720000)
    assert cohen_kappa_se_from_table([[9, 11], [11, 149]]).se == pytest.approx(se)
    # ... but neighbouring characters are not independent units, so the report gives no
    # standard error, and alpha's interval would resample whole documents: three here.
    p = row(report, P)
    assert (p["kappa_se"], p["kappa_low"], p["kappa_high"]) == (None, None, None)
    assert "independent" in p["not_computable"]["kappa_se"]
    assert (p["alpha_low"], p["alpha_high"], p["alpha_q"]) == (None, None, None)
    assert "only 3 documents" in p["not_computable"]["alpha_interval"]
    assert report["bootstrap"]["resampled"]["codes"] == "documents"


def test_document_units_overall_and_breakdowns(two: Project) -> None:
    report = agreement_report(two, unit="document", n_boot=500)
    # Caseload by document: D1 (1,1), D2 (1,0), D3 (0,0), D4 (1, missing) -> 3 units.
    # pa 2/3; Cohen pe = 2/3*1/3 + 1/3*2/3 = 4/9 -> (2/3 - 4/9) / (5/9) = .4;
    # alpha: n = 6, n1 = 3, n0 = 3, o01 = 1: 1 - 5/9.
    check(row(report, C), 3, 2 / 3, 0.4, 4 / 9)
    # Pooled over Caseload (1,1)(1,0)(0,0), Other (0,0)(0,1)(1,1), Plea (1,1)(0,0)(0,0):
    # 9 units, 7 agree; alice and bob each 4 yes -> pe = 41/81, kappa = 22/40 = .55;
    # alpha: n = 18, n1 = 8, n0 = 10, o01 = 2: 1 - 17 * 2 / 80 = .575.
    check(report["overall"], 9, 7 / 9, 0.55, 46 / 80)
    # Its standard error: table 3, 1, 1, 4, margins 4/9 and 5/9, k = 11/20, pe = 41/81.
    # Diagonal 3/9 (1 - 8/9 * 9/20)^2 + 4/9 (1 - 10/9 * 9/20)^2 = 52/225; off-diagonal
    # (9/20)^2 * 2/9 * 1^2 = 9/200; (11/20 - 41/81 * 9/20)^2 = 841/8100;
    # var = (52/225 + 9/200 - 841/8100) / (9 * (40/81)^2) = 25119/320000, se = .2802.
    se = math.sqrt(25119 / 320000)
    table = [[3, 1], [1, 4]]
    assert cohen_kappa_se_from_table(table).se == pytest.approx(se)
    # ... but the three codes of one document are not independent units: the pooled rows give
    # no standard error, and alpha's interval resamples documents (3 here, too few).
    overall = report["overall"]
    assert (overall["kappa_se"], overall["kappa_low"], overall["kappa_high"]) == (None,) * 3
    assert "resamples whole documents" in overall["not_computable"]["kappa_se"]
    assert "only 3 documents" in overall["not_computable"]["alpha_interval"]
    # Codings: alice Plea 2 + Caseload 4 + Other 1; bob Plea 3 + Caseload 3 + Other 2.
    assert report["overall"]["usage"] == {"alice": 7, "bob": 8}
    d1 = next(r for r in report["by_document"] if r["document"] == "D1")
    # D1 alone: Caseload (1,1), Other (0,0), Plea (1,1): perfect agreement.
    check(d1, 3, 1.0, 1.0, 1.0)
    d4 = next(r for r in report["by_document"] if r["document"] == "D4")
    assert d4["coders"] == ["alice"] and d4["units"] == 0 and d4["krippendorff_alpha"] is None
    [pair] = report["by_pair"]
    assert pair["coders"] == ["alice", "bob"]
    check(pair, 9, 7 / 9, 0.55, 46 / 80)
    assert pair["kappa_se"] is None and pair["alpha_low"] is None
    # D1 alone agrees perfectly (its large-sample variance is 0): no interval either.
    assert (d1["kappa_se"], d1["kappa_low"], d1["kappa_high"]) == (None, None, None)
    # D4 was coded by alice alone: no kappa, no standard error, and the reason.
    assert d4["kappa_se"] is None and "kappa_se" in d4["not_computable"]


def test_overlap_units(two: Project) -> None:
    report = agreement_report(two, unit="overlap", threshold=0.9, codes=[C, P], n_boot=500)
    # Caseload: every coding is a unit. D1: alice [0,20) matches bob [1,20) (19/20 = .95),
    # alice [30,40) vs bob [30,35) is 5/10 = .5 -> no; bob [50,55) unmatched; D2: alice
    # [0,10), bob (who coded D2) has none. Units (alice, bob): (1,1) (1,0) (1,1) (0,1) (0,1)
    # (1,0): 2 of 6 codings matched (MAXQDA's segment agreement).
    c = row(report, C)
    assert (c["units"], c["matched"]) == (6, 2)
    assert c["percent_agreement"] == pytest.approx(2 / 6)
    # Nothing chance-corrected: "coded by neither" cannot occur when every unit is a coding.
    assert (c["cohen_kappa"], c["krippendorff_alpha"], c["verdict"]) == (None, None, None)
    assert (c["kappa_low"], c["alpha_low"], c["alpha_q"]) == (None, None, None)
    assert "neither" in c["not_computable"]["krippendorff_alpha"]
    assert "MAXQDA" in c["not_computable"]["cohen_kappa"]
    # Plea bargaining: nothing matches at 90% (.333 and .4): 5 codings, none matched.
    p = row(report, P)
    assert (p["units"], p["matched"], p["percent_agreement"]) == (5, 0, 0.0)
    assert report["threshold"] == 0.9 and report["overlap_measure"] == "union"
    assert report["bootstrap"]["method"] is None
    assert report["overall"]["percent_agreement"] == pytest.approx(2 / 11)
    assert report["overall"]["krippendorff_alpha"] is None
    loose = agreement_report(two, unit="overlap", threshold=0.5, codes=[C], n_boot=500)
    # At 50% alice [30,40) and bob [30,35) match both ways: (1,1) x 4, (0,1), (1,0): 4 of 6.
    assert row(loose, C)["percent_agreement"] == pytest.approx(4 / 6)


def test_three_coders_use_fleiss_and_report_pairs(make_project: Any) -> None:
    text = "".join(f"Sentence{i}." for i in range(4))
    docs = {"E1": (text, {"sentence": [(i * 10, i * 10 + 10) for i in range(4)]})}
    codings = [
        ("E1", "X", "alice", 2, 8),
        ("E1", "X", "alice", 12, 15),
        ("E1", "X", "bob", 0, 10),
        ("E1", "X", "carol", 3, 5),
        ("E1", "X", "carol", 25, 28),
    ]
    report = agreement_report(make_project(docs, codings), unit="sentence", n_boot=500)
    assert report["kappa"] == "fleiss_kappa"
    # s0 (1,1,1), s1 (1,0,0), s2 (0,0,1), s3 (0,0,0). Agreeing ordered pairs per unit:
    # 6/6, 2/6, 2/6, 6/6 -> pa = 2/3. pi_1 = (1 + 1/3 + 1/3 + 0) / 4 = 5/12,
    # pe = (25 + 49) / 144 = 37/72 -> Fleiss = (48 - 37) / 35 = 11/35.
    # Coincidences (weight 1/2 per ordered pair): o11 = 3, o00 = 1 + 1 + 3 = 5, o01 = 2;
    # n = 12, n0 = 7, n1 = 5: alpha = 1 - 11 * 2 / 35 = 13/35.
    check(row(report, "X"), 4, 2 / 3, 11 / 35, 13 / 35, kappa_key="fleiss_kappa")
    # Gwet's standard error of Fleiss' kappa: per unit, k_u = (p_a|u - pe) / (1 - pe) =
    # 1, -13/35, -13/35, 1 (p_a|u = 1, 1/3, 1/3, 1; 1 - pe = 35/72); chance per unit
    # pe|u = sum of the unit's ratings' pi / 3 = 30/72, 38/72, 38/72, 42/72; corrected
    # k*_u = k_u - 2 (1 - k)(pe|u - pe) / (1 - pe) with 2 (24/35) / (35/72) = 3456/1225:
    # 1561/1225, -503/1225, -503/1225, 985/1225. Deviations from k = 385/1225: 1176, -888,
    # -888, 600 (/1225); var = (1176^2 + 2 * 888^2 + 600^2) / 1225^2 / (4 * 3)
    # = 276672/1500625, se = .4294.
    se = math.sqrt(276672) / 1225
    check_interval(row(report, "X"), 11 / 35, se, 11 / 35 - Z95 * se, 1.0)
    assert "Gwet" in report["kappa_interval"]["methods"]["fleiss_kappa"]
    assert "cohen_kappa" in report["kappa_interval"]["methods"]  # for the pairs
    pairs = {tuple(r["coders"]): r for r in report["by_pair"]}
    # alice-bob: (1,1)(1,0)(0,0)(0,0): pa .75, pe = .5*.25 + .5*.75 = .5 -> kappa .5
    # alice-carol: (1,1)(1,0)(0,1)(0,0): pa .5, pe .5 -> 0; bob-carol: pa .75, pe .5 -> .5
    assert pairs["alice", "bob"]["cohen_kappa"] == pytest.approx(0.5)
    assert pairs["alice", "carol"]["cohen_kappa"] == pytest.approx(0.0)
    assert pairs["bob", "carol"]["cohen_kappa"] == pytest.approx(0.5)
    assert pairs["alice", "carol"]["percent_agreement"] == pytest.approx(0.5)
    # alice-bob: table 1, 1, 0, 2; margins 1/2 and 1/4; k = 1/2, pe = 1/2. Diagonal
    # 1/4 (1 - 3/4 * 1/2)^2 + 2/4 (1 - 5/4 * 1/2)^2 = 25/256 + 18/256; off-diagonal
    # (1/2)^2 * 1/4 * (1/4 + 1/2)^2 = 9/256; (1/2 - 1/4)^2 = 16/256;
    # var = (36/256) / (4 * 1/4) = 9/64, se = 3/8 (a Cohen's kappa: the pairs are two coders).
    check_interval(pairs["alice", "bob"], 0.5, 3 / 8, 0.5 - Z95 * 3 / 8, 1.0)


def test_kappa_of_a_coder_who_never_used_the_code_has_no_interval(make_project: Any) -> None:
    codings = [
        ("D1", "X", "alice", 0, 10),
        ("D1", "Y", "bob", 20, 30),
        ("D1", "Y", "alice", 20, 30),
    ]
    report = agreement_report(
        make_project({"D1": (TEXT, SEGMENTS)}, codings), unit="sentence", codes=["X"], n_boot=200
    )
    # X by sentence: alice s0 only, bob never: table (yes, no) 1, (no, no) 5. po = 5/6,
    # pe = 1/6 * 0 + 5/6 * 1 = 5/6: kappa 0 whatever bob did, and the Fleiss-Cohen-Everitt
    # variance is exactly 0 (diagonal 5/6 (5/6)^2, off-diagonal 1/6 (5/6)^2, minus (5/6)^2).
    # An interval of [0, 0] would be false certainty: null, with the reason.
    x = row(report, "X")
    assert x["cohen_kappa"] == pytest.approx(0.0)
    assert (x["kappa_se"], x["kappa_low"], x["kappa_high"]) == (None, None, None)
    assert "one coder used a single category" in x["not_computable"]["kappa_se"]
    assert "cohen_kappa" not in x["not_computable"]


def test_consensus_is_not_a_coder_by_default(make_project: Any) -> None:
    codings = [
        ("D1", "X", "alice", 0, 10),
        ("D1", "X", "bob", 0, 10),
        ("D1", "X", "bob", 20, 30),
        ("D1", "X", "consensus", 0, 10),  # what a supervisor settled
    ]
    project = make_project({"D1": (TEXT, SEGMENTS)}, codings)
    report = agreement_report(project, unit="sentence", n_boot=200)
    assert report["coders"] == ["alice", "bob"] and report["kappa"] == "cohen_kappa"
    # named, a coder can be compared with the consensus: s0 (1, 1), s2 (1, 0), others (0, 0)
    named = agreement_report(project, coders=["bob", "consensus"], unit="sentence", n_boot=200)
    assert named["coders"] == ["bob", "consensus"]
    assert row(named, "X")["percent_agreement"] == pytest.approx(5 / 6)  # all but s2 agree


def test_disagreements_for_the_supervisor(two: Project) -> None:
    items = list_disagreements(two, P, "alice", "bob")
    # D1: alice [0,15) with bob [5,10) -> different spans; bob [22,28) alone; alice [40,45)
    # with bob [41,50) -> different spans. D4 is not searched (bob has not coded it).
    assert [(d.document, d.kind, d.start, d.end) for d in items] == [
        ("D1", "different_spans", 0, 15),
        ("D1", "b_not_a", 22, 28),
        ("D1", "different_spans", 40, 50),
    ]
    assert items[0].spans_a == ((0, 15),) and items[0].spans_b == ((5, 10),)
    assert items[1].text == TEXT[22:28]
    caseload = list_disagreements(two, C, "alice", "bob")
    # D1: [0,20) vs [1,20) differ; [30,40) vs [30,35) differ; bob [50,55) alone;
    # D2: alice [0,10) alone.
    assert [(d.document, d.kind) for d in caseload] == [
        ("D1", "different_spans"),
        ("D1", "different_spans"),
        ("D1", "b_not_a"),
        ("D2", "a_not_b"),
    ]
    # At a 90% overlap [0,20) and [1,20) (19/20) count as the same span.
    assert len(list_disagreements(two, C, "alice", "bob", threshold=0.9)) == 3
    assert items[0].as_json("alice", "bob")["spans_b"] == [[5, 10]]


def test_loader_scope_and_errors(two: Project, make_project: Any) -> None:
    data = load_coding_data(two, unit="document")
    assert data.coders == ("alice", "bob")
    assert [d.name for d in data.documents] == ["D1", "D2", "D3", "D4"]
    assert data.documents[3].coders == frozenset({"alice"})
    with pytest.raises(QualcodeError, match="no coder 'zoe'"):
        agreement_report(two, coders=["alice", "zoe"])
    with pytest.raises(QualcodeError, match="at least two coders"):
        agreement_report(two, coders=["alice"])
    with pytest.raises(QualcodeError, match="unknown unit"):
        agreement_report(two, unit="word")
    with pytest.raises(QualcodeError, match="threshold"):
        agreement_report(two, unit="overlap", threshold=1.5)
    with pytest.raises(QualcodeError, match="no code"):
        agreement_report(two, codes=["Nope"])
    lone = make_project({"D": (TEXT, {})}, [("D", C, "alice", 0, 5), ("D", C, "bob", 0, 5)])
    with pytest.raises(QualcodeError, match="no sentence segments"):
        agreement_report(lone, unit="sentence")
    solo = make_project({"D": (TEXT, SEGMENTS)}, [("D", C, "alice", 0, 5)])
    with pytest.raises(QualcodeError, match="at least two coders"):
        agreement_report(solo)
