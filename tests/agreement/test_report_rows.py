"""The report's rows: what each unit of analysis reports, and what it withholds (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode import agreement as ag
from qualcode.agreement.report import build_report
from qualcode.agreement.units import CodingData, DocumentCodings

Spans = dict[tuple[str, str], list[tuple[int, int]]]
SENTENCE = 10  # every test document is cut into 10-character sentences


def doc(name: str, spans: Spans, length: int = 100) -> DocumentCodings:
    sentences = [(i, i + SENTENCE) for i in range(0, length, SENTENCE)]
    coders = frozenset(coder for coder, _ in spans)
    return DocumentCodings(name, length, coders, spans, sentences)


def data(coders: tuple[str, ...], codes: tuple[str, ...], *docs: DocumentCodings) -> CodingData:
    return CodingData(coders, codes, docs)


def sentences(*indices: int) -> list[tuple[int, int]]:
    return [(i * SENTENCE, i * SENTENCE + SENTENCE) for i in indices]


def test_overlap_reports_matched_codings_and_nothing_chance_corrected() -> None:
    # Ten codings both coders made alike, and one more by alice: every unit is a coding, so
    # the table has both 20, alice only 1, bob only 0 and neither 0 (it cannot occur).
    # Kappa: p_o = 20/21, p_e = 21/21 * 20/21 + 0 = 20/21 -> 0. Alpha: n = 42 values,
    # n_1 = 41, n_0 = 1, o_01 = 1 -> 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 41/41 = 0. Both 0
    # for near-perfect agreement ("unreliable"), and 0/0 for perfect agreement: not reported.
    ten = [(i * 100, i * 100 + 50) for i in range(10)]
    spans: Spans = {("alice", "X"): [*ten, (1050, 1080)], ("bob", "X"): ten}
    report = build_report(data(("alice", "bob"), ("X",), doc("D", spans, 1100)), "overlap")
    x = report["codes"][0]
    assert (x["units"], x["matched"]) == (21, 20)
    assert x["percent_agreement"] == pytest.approx(20 / 21)  # MAXQDA: 95%
    assert (x["cohen_kappa"], x["krippendorff_alpha"], x["verdict"]) == (None, None, None)
    assert {"cohen_kappa", "kappa_se", "krippendorff_alpha"} <= set(x["not_computable"])
    assert "never occurs" in x["not_computable"]["krippendorff_alpha"]
    # ...whereas the same functions on these units give exactly the useless zeros
    units = [[1] * 21, [1] * 20 + [0]]
    assert ag.cohen_kappa(units) == pytest.approx(0.0, abs=1e-12)
    assert ag.krippendorff_alpha(units) == pytest.approx(0.0, abs=1e-12)
    # three coders: each coding is checked against the two others who coded the document
    spans3: Spans = {**spans, ("carol", "X"): ten[:5]}
    three = build_report(data(("alice", "bob", "carol"), ("X",), doc("D", spans3, 1100)), "overlap")
    # alice's 11 codings: bob matches 10, carol 5; bob's 10: alice 10, carol 5; carol's 5:
    # alice 5, bob 5 -> 40 of 2 * 26 checks.
    assert three["codes"][0]["percent_agreement"] == pytest.approx(40 / 52)
    assert three["codes"][0]["fleiss_kappa"] is None


def three_coder_documents(extra_single: int) -> CodingData:
    # Two documents all three coded (sentences 0-9 each), and documents only alice coded.
    docs = [
        doc("A", {("alice", "X"): sentences(0, 1, 2, 5), ("bob", "X"): sentences(0, 1, 5),
                  ("carol", "X"): sentences(0, 2, 5, 7)}),
        doc("B", {("alice", "X"): sentences(3, 4), ("bob", "X"): sentences(3, 4, 8),
                  ("carol", "X"): sentences(3)}),
    ]  # fmt: skip
    docs += [doc(f"S{i}", {("alice", "X"): sentences(0, 1, 2)}) for i in range(extra_single)]
    return data(("alice", "bob", "carol"), ("X",), *docs)


def test_documents_only_one_coder_coded_change_no_statistic() -> None:
    base = build_report(three_coder_documents(0), "sentence", options=None)
    more = build_report(three_coder_documents(5), "sentence", options=None)
    assert more["single_coder_documents"] == [f"S{i}" for i in range(5)]
    for key in ("units", "percent_agreement", "fleiss_kappa", "kappa_se", "kappa_low",
                "krippendorff_alpha", "alpha_low", "alpha_high"):  # fmt: skip
        assert more["codes"][0][key] == base["codes"][0][key], key
        assert more["overall"][key] == base["overall"][key], key
    assert more["codes"][0]["coded_units"] == base["codes"][0]["coded_units"]
    # usage counts every coding, compared or not: alice's 3 more in each of S0..S4
    assert more["codes"][0]["usage"]["alice"] == base["codes"][0]["usage"]["alice"] + 15
    # The function itself follows Gwet: units rated once enter the chance term, so the
    # single-coder sentences would have moved Fleiss' kappa. The report drops them first.
    rows = [[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 0]]
    lone = [[1, 1, 1], [None] * 3, [None] * 3]
    moved = ag.fleiss_kappa([a + b for a, b in zip(rows, lone, strict=True)])
    assert moved != pytest.approx(ag.fleiss_kappa(rows))


def test_character_unit_with_three_coders_and_a_document_one_of_them_coded() -> None:
    # Used to crash ("need at least one array to concatenate") in the pair bob & carol, who
    # never coded document S0.
    report = build_report(three_coder_documents(1), "character")
    pairs = {tuple(r["coders"]): r for r in report["by_pair"]}
    assert pairs["bob", "carol"]["units"] == 200  # documents A and B, 100 characters each
    assert report["single_coder_documents"] == ["S0"]
    assert report["codes"][0]["units"] == 200


def test_one_document_at_the_character_unit_gets_no_interval() -> None:
    # Two passages in a 20,000-character document: 20,000 units that are not independent
    # (the example had alpha .894 and an interval [.883, .904] from resampling
    # characters). The document is now the unit of resampling, and one gives no interval.
    spans: Spans = {
        ("alice", "X"): [(1000, 2000), (8000, 9000)],
        ("bob", "X"): [(1100, 2000), (8000, 9000)],
    }
    report = build_report(data(("alice", "bob"), ("X",), doc("D", spans, 20_000)), "character")
    x = report["codes"][0]
    # 100 characters alice only, 1,900 both, 18,000 neither: n = 40,000 values, n_1 = 3,900,
    # n_0 = 36,100, o_01 = 100 x 2 / 2 -> alpha = 1 - 39,999 x 100 / (3,900 x 36,100)
    assert x["krippendorff_alpha"] == pytest.approx(1 - 39_999 * 100 / (3_900 * 36_100))
    assert (x["alpha_low"], x["alpha_high"], x["kappa_low"], x["kappa_high"]) == (None,) * 4
    assert "two documents" in x["not_computable"]["alpha_interval"]
    assert "independent" in x["not_computable"]["kappa_se"]


def twelve_documents() -> tuple[CodingData, np.ndarray, np.ndarray]:
    """12 documents of 100 characters, alice and bob coding one passage each, plus the
    character matrix built by hand and each character's document."""
    rng = np.random.default_rng(7)
    docs, columns, labels = [], [], []
    for i in range(12):
        a0, b0 = (int(v) for v in rng.integers(0, 30, size=2))
        a1, b1 = a0 + int(rng.integers(20, 60)), b0 + int(rng.integers(20, 60))
        docs.append(doc(f"D{i:02}", {("alice", "X"): [(a0, a1)], ("bob", "X"): [(b0, b1)]}))
        chars = np.arange(100)
        columns.append(np.vstack([(chars >= a0) & (chars < a1), (chars >= b0) & (chars < b1)]))
        labels += [i] * 100
    return data(("alice", "bob"), ("X",), *docs), np.hstack(columns).astype(int), np.array(labels)


def test_character_unit_resamples_whole_documents() -> None:
    coding, chars, document = twelve_documents()
    x = build_report(coding, "character")["codes"][0]
    by_document = ag.krippendorff_alpha_bootstrap(chars, clusters=document.tolist())
    by_character = ag.krippendorff_alpha_bootstrap(chars)
    assert x["krippendorff_alpha"] == pytest.approx(by_document.alpha)
    assert (x["alpha_low"], x["alpha_high"]) == pytest.approx(
        (by_document.low, by_document.high), abs=1e-12
    )
    # resampling the 1,200 characters as if independent gives a far narrower interval
    assert by_character.high - by_character.low < 0.6 * (by_document.high - by_document.low)


def test_pooled_rows_resample_sentences_with_all_their_codes() -> None:
    rng = np.random.default_rng(11)
    docs, a_rows, b_rows, labels = [], [], [], []
    for d in range(3):
        spans: Spans = {}
        for code in ("X", "Y"):
            truth = rng.random(10) < 0.4
            alice = np.where(rng.random(10) < 0.9, truth, ~truth)
            bob = np.where(rng.random(10) < 0.9, truth, ~truth)
            spans["alice", code] = sentences(*np.flatnonzero(alice))
            spans["bob", code] = sentences(*np.flatnonzero(bob))
            a_rows += alice.astype(int).tolist()
            b_rows += bob.astype(int).tolist()
            labels += [f"{d}-{s}" for s in range(10)]
        docs.append(doc(f"D{d}", spans))
    report = build_report(data(("alice", "bob"), ("X", "Y"), *docs), "sentence")
    overall = report["overall"]
    expected = ag.krippendorff_alpha_bootstrap([a_rows, b_rows], clusters=labels)
    assert overall["krippendorff_alpha"] == pytest.approx(expected.alpha)
    assert (overall["alpha_low"], overall["alpha_high"]) == pytest.approx(
        (expected.low, expected.high), abs=1e-12
    )
    assert expected.resampled == 30  # sentences, not 60 (sentence, code) pairs
    assert overall["kappa_se"] is None and "segment" in overall["not_computable"]["kappa_se"]
    assert report["bootstrap"]["resampled"]["pooled"] == "sentences, each with all its codes"


def test_the_function_with_its_defaults_gives_the_reports_interval() -> None:
    # One code over 30 sentences of three documents; the matrix built by hand.
    alice = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0] * 3
    bob = [1, 0, 0, 0, 1, 0, 1, 0, 1, 0] * 3
    docs = [
        doc(f"D{d}", {("alice", "X"): sentences(*np.flatnonzero(alice[:10])),
                      ("bob", "X"): sentences(*np.flatnonzero(bob[:10]))})
        for d in range(3)
    ]  # fmt: skip
    x = build_report(data(("alice", "bob"), ("X",), *docs), "sentence")["codes"][0]
    result = ag.krippendorff_alpha_bootstrap([alice, bob])
    assert (x["krippendorff_alpha"], x["alpha_low"], x["alpha_high"]) == (
        result.alpha,
        result.low,
        result.high,
    )
    assert x["alpha_q"] == {"0.667": result.q[0.667], "0.8": result.q[0.8]}


def test_zero_width_intervals_never_reach_the_report() -> None:
    # Perfect agreement on 5 sentences: kappa 1 with standard error 0 ([1, 1]) and every
    # bootstrap sample at alpha 1 ([1, 1]). Neither is certainty.
    five = doc("D", {("alice", "X"): sentences(0, 2), ("bob", "X"): sentences(0, 2)}, 50)
    estimate = ag.cohen_kappa_se([[1, 0, 1, 0, 0], [1, 0, 1, 0, 0]])
    assert (estimate.value, estimate.low, estimate.high) == (1.0, 1.0, 1.0)
    x = build_report(data(("alice", "bob"), ("X",), five), "sentence")["codes"][0]
    assert (x["cohen_kappa"], x["krippendorff_alpha"]) == (1.0, 1.0)
    assert (x["kappa_se"], x["kappa_low"], x["kappa_high"]) == (None, None, None)
    assert "zero width" in x["not_computable"]["kappa_se"]
    assert (x["alpha_low"], x["alpha_high"]) == (None, None)
    assert "only 5 sentences" in x["not_computable"]["alpha_interval"]
    # Perfect agreement on 40 sentences: enough units, and still a zero-width interval.
    forty = [
        doc(f"D{d}", {("alice", "X"): sentences(0, 3, 4), ("bob", "X"): sentences(0, 3, 4)})
        for d in range(4)
    ]
    y = build_report(data(("alice", "bob"), ("X",), *forty), "sentence")["codes"][0]
    assert y["krippendorff_alpha"] == 1.0 and (y["alpha_low"], y["alpha_high"]) == (None, None)
    assert "zero width" in y["not_computable"]["alpha_interval"]
    assert "zero width" in y["not_computable"]["kappa_se"]
    # (A coder who used one category, giving kappa [0, 0], is in test_project_report.)
