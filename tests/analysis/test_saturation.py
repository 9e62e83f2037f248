"""Saturation (Guest, Namey & Chen 2020) on corpora whose saturation point is known by
construction, and ``qualcode saturation --json`` on a project."""

from __future__ import annotations

import json
from itertools import combinations
from typing import TYPE_CHECKING

import pytest

from qualcode.analysis.saturation import CodedDocument, SaturationOptions, saturation_curve

from ..run_cli import cli as run

if TYPE_CHECKING:
    from conftest import Built


def doc(name: str, *codes: str) -> CodedDocument:
    return CodedDocument(name, name.upper(), frozenset(codes))


def codes(first: int, last: int) -> list[str]:
    return [f"c{i:02d}" for i in range(first, last + 1)]


#: the base (D1-D4) brings codes c01-c20; D5 and D6 one new code each, so the run D5-D6 brings
#: 2/20 = 10% (> 5%) and the run D6-D7 brings 1/20 = 5% (<= 5%): saturation at D7 exactly.
KNOWN = [
    doc("d01", *codes(1, 10)),
    doc("d02", *codes(8, 16)),
    doc("d03", *codes(15, 19)),
    doc("d04", "c20", "c01"),
    doc("d05", "c21", "c02"),
    doc("d06", "c22", "c03", "c04"),
    doc("d07", "c01", "c05"),
    doc("d08", *codes(1, 6)),
    doc("d09", "c23"),
    doc("d10", "c07"),
]


def test_saturation_point_known_by_construction() -> None:
    out = saturation_curve(KNOWN, SaturationOptions())
    rows = out["documents"]
    assert [r["new_codes"] for r in rows] == [10, 6, 3, 1, 1, 1, 0, 0, 1, 0]
    assert [r["cumulative_codes"] for r in rows] == [10, 16, 19, 20, 21, 22, 22, 22, 23, 23]
    assert out["codes"] == 23
    assert [r["share_of_codes"] for r in rows][3] == pytest.approx(20 / 23)
    assert rows[4]["new_code_names"] == ["c21"]
    sat = out["saturation"]
    assert (sat["base"], sat["run"], sat["threshold"]) == (4, 2, 0.05)
    assert sat["base_codes"] == 20
    first, second = sat["runs"][:2]
    assert (first["first"], first["last"], first["new_codes"]) == ("d05", "d06", 2)
    assert first["ratio"] == pytest.approx(0.10) and not first["saturated"]
    assert (second["first"], second["last"], second["new_codes"]) == ("d06", "d07", 1)
    assert second["ratio"] == pytest.approx(0.05) and second["saturated"]
    assert (sat["reached"], sat["at_document"], sat["at_position"]) == (True, "d07", 7)


def test_a_stricter_threshold_or_longer_run_moves_the_point() -> None:
    strict = saturation_curve(KNOWN, SaturationOptions(threshold=0.0))["saturation"]
    assert strict["at_document"] == "d08"  # D7-D8 bring nothing new
    longer = saturation_curve(KNOWN, SaturationOptions(run=3, threshold=0.0))["saturation"]
    assert longer["reached"] is False  # every three after the base hold a new code (c21-c23)
    # runs of three: D5-D7 (c21, c22), D6-D8 (c22), D7-D9 (c23), D8-D10 (c23)
    assert [r["new_codes"] for r in longer["runs"]] == [2, 1, 1, 1]


def test_new_pairs_count_code_pairs_first_seen_in_a_document() -> None:
    out = saturation_curve(KNOWN, SaturationOptions(permutations=0))
    seen: set[tuple[str, str]] = set()
    expected = []
    for d in KNOWN:
        pairs = set(combinations(sorted(d.codes), 2))
        expected.append(len(pairs - seen))
        seen |= pairs
    assert [r["new_pairs"] for r in out["documents"]] == expected
    assert out["pairs"] == len(seen)


def test_random_orders_of_a_corpus_that_never_saturates() -> None:
    """Each document has one code of its own and one shared code: in any order document k
    brings the k-th own code, so the band is exact and no order saturates (2 / 5 = 40%)."""
    corpus = [doc(f"d{i}", f"own{i}", "shared") for i in range(8)]
    out = saturation_curve(corpus, SaturationOptions(permutations=200, seed=3))
    for k, row in enumerate(out["documents"], start=1):
        assert row["band_low"] == row["band_median"] == row["band_high"] == k + 1
    assert out["random_orders"]["saturated_share"] == 0.0
    assert out["saturation"]["reached"] is False


def test_random_orders_of_a_corpus_saturated_in_any_order() -> None:
    """Every document holds the same codes: every order saturates at base + run."""
    corpus = [doc(f"d{i}", "a", "b", "c") for i in range(7)]
    out = saturation_curve(corpus, SaturationOptions(permutations=50))
    assert out["random_orders"]["saturated_share"] == 1.0
    assert out["random_orders"]["median_position"] == 6
    assert out["saturation"]["at_position"] == 6


def test_random_orders_are_seeded_and_bracket_the_expected_curve() -> None:
    a = saturation_curve(KNOWN, SaturationOptions(seed=7))
    b = saturation_curve(KNOWN, SaturationOptions(seed=7))
    assert a == b
    # hypergeometric expectation of cumulative codes after k random documents
    from math import comb

    n = len(KNOWN)
    holders = {c: sum(c in d.codes for d in KNOWN) for c in {c for d in KNOWN for c in d.codes}}
    for k, row in enumerate(a["documents"], start=1):
        expected = sum(1 - comb(n - m, k) / comb(n, k) for m in holders.values())
        assert row["band_low"] <= expected <= row["band_high"]
    assert a["documents"][-1]["band_low"] == a["documents"][-1]["band_high"] == 23


def test_too_few_documents_say_why() -> None:
    out = saturation_curve(KNOWN[:5], SaturationOptions())
    assert out["saturation"]["reached"] is False
    assert "at least 6" in out["saturation"]["not_computable"]
    assert out["random_orders"]["saturated_share"] is None


def run_json(capsys: pytest.CaptureFixture[str], built: Built, *args: str) -> dict[str, object]:
    code, out, err = run(
        capsys, "saturation", *args, "--json", "--project", str(built.project.path)
    )
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_saturation_json_on_a_project(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, built, "--base", "2", "--run", "1", "--threshold", "0")
    docs = data["documents"]
    assert isinstance(docs, list)
    # counted: ann's and bob's codings added up; codes by document, computed here from the rows
    expected: dict[str, set[str]] = {}
    for name, code, _coder, _s, _e in built.codings:
        expected.setdefault(name, set()).add(code)
    assert [d["document"] for d in docs] == sorted(expected)
    cumulative: set[str] = set()
    for row in docs:
        new = expected[row["document"]] - cumulative
        cumulative |= expected[row["document"]]
        assert row["new_codes"] == len(new)
        assert row["cumulative_codes"] == len(cumulative)
    assert data["saturation"] == {**data["saturation"], "reached": True, "at_position": 3}  # type: ignore[dict-item]


def test_saturation_order_by_attribute_and_groups(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, built, "--order", "years", "--by", "state", "--permutations", "10")
    names = [d["document"] for d in data["documents"]]  # type: ignore[attr-defined]
    # years: P1 5, P2 12, P3 5; d4 has no participant (last); ties by name
    assert names == ["d1", "d3", "d5", "d2", "d4"]
    groups = {g["group"]: [d["document"] for d in g["documents"]] for g in data["groups"]}  # type: ignore[attr-defined]
    assert groups == {"Ohio": ["d1", "d5", "d2"], "Texas": ["d3"], "(no value)": ["d4"]}


def test_saturation_refuses_an_unknown_order(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys, "saturation", "--order", "nope", "--project", str(built.project.path)
    )
    assert code == 2
    assert "no attribute 'nope'" in err
    code, _out, err = run(capsys, "saturation", "--base", "0", "--project", str(built.project.path))
    assert code == 2 and "--base" in err


def naive_first_saturation(order: list[CodedDocument], base: int, run: int, limit: float) -> int:
    """The rule spelled out with sets, one run at a time: 0 when never reached."""
    base_codes = set().union(*(d.codes for d in order[:base]))
    for first in range(base, len(order) - run + 1):
        before = set().union(*(d.codes for d in order[:first]))
        new = set().union(*(d.codes for d in order[first : first + run])) - before
        if len(new) / len(base_codes) <= limit + 1e-12:
            return first + run
    return 0


def test_random_orders_equal_a_naive_count_of_the_same_orders() -> None:
    """The vectorised band and saturation share against sets, on the orders it draws."""
    import numpy as np

    options = SaturationOptions(permutations=300, seed=11, threshold=0.1)
    out = saturation_curve(KNOWN, options)
    rng = np.random.default_rng(options.seed)
    orders = np.argsort(rng.random((options.permutations, len(KNOWN))), axis=1)
    points = []
    curves = []
    for order in orders:
        docs = [KNOWN[i] for i in order]
        points.append(naive_first_saturation(docs, options.base, options.run, options.threshold))
        seen: set[str] = set()
        curve = []
        for d in docs:
            seen |= d.codes
            curve.append(len(seen))
        curves.append(curve)
    reached = [p for p in points if p]
    orders_out = out["random_orders"]
    assert orders_out["saturated_share"] == pytest.approx(len(reached) / len(points))
    assert orders_out["median_position"] == pytest.approx(float(np.median(reached)))
    low, mid, high = np.percentile(np.array(curves), [2.5, 50, 97.5], axis=0)
    assert [r["band_low"] for r in out["documents"]] == pytest.approx(list(low))
    assert [r["band_median"] for r in out["documents"]] == pytest.approx(list(mid))
    assert [r["band_high"] for r in out["documents"]] == pytest.approx(list(high))
    assert 0 < len(reached) < len(points)  # the check sees both outcomes


def test_large_corpora_are_drawn_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import qualcode.analysis.saturation as saturation

    whole = saturation_curve(KNOWN, SaturationOptions(permutations=200))
    monkeypatch.setattr(saturation, "CHUNK_CELLS", 50)  # one order per chunk
    assert saturation_curve(KNOWN, SaturationOptions(permutations=200)) == whole


def test_saturation_printed(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--base", "2", "--run", "1", "--threshold", "0", "--by", "state")
    code, out, err = run(capsys, "saturation", *args, "--project", str(built.project.path))
    assert code == 0, err
    assert "in order of name" in out and "state = Ohio" in out
    assert "saturation reached at document 3 (d3; base 2, run 1" in out
