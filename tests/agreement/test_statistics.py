"""Coefficients and standard errors against published figures and hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qualcode import agreement as ag
from qualcode.errors import QualcodeError

# Gwet (2014), Handbook of Inter-Rater Reliability, p. 120: 4 raters x 12 units (irrCAC's
# raw_4raters). irrCAC prints Fleiss kappa .76117 (se .15302), AC1 .77544 (se .14295),
# Brennan-Prediger .773 (se .145), Conger .763.
RAW4 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# irrCAC's raw_5observers (Gwet 2014): Fleiss .458 se .120, AC1 se .122, BP se .121,
# Conger .469 se .117.
OBS5 = [
    [1, 1, 2, None, 0, 0, 1, 1, 2, 2, None, 0, 1, 3, 1],
    [1, 1, 3, 0, 0, 0, 0, None, 2, 1, 1, 0, 2, 3, 1],
    [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
    [None, 1, 3, None, None, None, None, 0, None, 1, 0, 0, 2, 2, None],
    [2, None, None, 0, 0, 0, 1, None, 2, None, None, None, None, 3, 1],
]
# SAS PROC FREQ documentation, agreement example: kappa .4842, ASE .1380, CI .2137-.7547.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
# irrCAC's table_cont4x4diagnosis: kappa .432 (se .046), linear .407 (.053), quadratic
# .383 (.066).
DIAGNOSIS = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]


def test_gwet_standard_errors_match_irrcac() -> None:
    fleiss = ag.fleiss_kappa_se(RAW4)
    assert fleiss.value == pytest.approx(0.76117, abs=5e-6)
    assert fleiss.se == pytest.approx(0.15302, abs=5e-6)
    ac1 = ag.gwet_ac1_se(RAW4)
    assert ac1.value == pytest.approx(0.77544, abs=5e-6)
    assert ac1.se == pytest.approx(0.14295, abs=5e-6)
    assert ag.brennan_prediger_se(RAW4).se == pytest.approx(0.145, abs=5e-4)
    assert ag.fleiss_kappa(OBS5) == pytest.approx(0.458, abs=5e-4)
    assert ag.fleiss_kappa_se(OBS5).se == pytest.approx(0.120, abs=5e-4)
    assert ag.gwet_ac1_se(OBS5).se == pytest.approx(0.122, abs=5e-4)
    assert ag.brennan_prediger_se(OBS5).se == pytest.approx(0.121, abs=5e-4)
    assert ag.conger_kappa(OBS5) == pytest.approx(0.469, abs=5e-4)


def test_cohen_standard_error_matches_sas_and_irrcac() -> None:
    sas = ag.cohen_kappa_se_from_table(SAS_TABLE)
    assert sas.value == pytest.approx(0.4842, abs=5e-5)
    assert sas.se == pytest.approx(0.1380, abs=5e-5)
    assert (sas.low, sas.high) == pytest.approx((0.2137, 0.7547), abs=5e-5)
    for weights, kappa, se in [
        (None, 0.432, 0.046),
        ("linear", 0.407, 0.053),
        ("quadratic", 0.383, 0.066),
    ]:
        est = ag.cohen_kappa_se_from_table(DIAGNOSIS, weights)
        assert (est.value, est.se) == pytest.approx((kappa, se), abs=5e-4)


def test_cohen_null_standard_error_matches_the_closed_form() -> None:
    # Unweighted kappa under H0 (Fleiss, Levin & Paik 2003, eq. 18.14):
    # se0 = sqrt(pe + pe^2 - sum_i p_i. p_.i (p_i. + p_.i)) / ((1 - pe) sqrt(n))
    table = np.array([[20.0, 5.0], [10.0, 15.0]])
    n = table.sum()
    rows, cols = table.sum(axis=1) / n, table.sum(axis=0) / n
    pe = float(rows @ cols)
    se0 = math.sqrt(pe + pe**2 - float((rows * cols * (rows + cols)).sum())) / (
        (1 - pe) * math.sqrt(n)
    )
    assert ag.cohen_kappa_se_from_table(table).se_null == pytest.approx(se0, rel=1e-12)


def test_two_coder_hand_computed_coefficients() -> None:
    # 10 units; A: 6 yes 4 no, B: 5 yes 5 no; both yes 4, both no 3 -> po = .7
    a = ["y", "y", "y", "y", "y", "y", "n", "n", "n", "n"]
    b = ["y", "y", "y", "y", "n", "n", "y", "n", "n", "n"]
    data = [a, b]
    assert ag.percent_agreement(data) == pytest.approx(0.7)
    # Cohen: pe = .6*.5 + .4*.5 = .5 -> (.7 - .5) / .5 = .4
    assert ag.cohen_kappa(data) == pytest.approx(0.4)
    # Scott: pooled yes = 11/20 = .55 -> pe = .55^2 + .45^2 = .505 -> .195/.495
    assert ag.scott_pi(data) == pytest.approx(0.195 / 0.495)
    # Brennan-Prediger: (.7 - .5) / .5 = .4; with 4 possible categories (.7 - .25)/.75 = .6
    assert ag.brennan_prediger(data) == pytest.approx(0.4)
    assert ag.brennan_prediger(data, n_categories=4) == pytest.approx(0.6)
    # Conger with two coders is Cohen's kappa.
    assert ag.conger_kappa(data) == pytest.approx(0.4)
    # Krippendorff (n = 20, n_y = 11, n_n = 9, o_yn = 3): 1 - 19 * 3 / (11 * 9)
    assert ag.krippendorff_alpha(data) == pytest.approx(1 - 19 * 3 / 99)


def test_scott_pi_matches_the_values_noted_with_krippendorffs_examples() -> None:
    a = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert ag.scott_pi(a) == pytest.approx(0.0476, abs=5e-5)
    assert ag.cohen_kappa(a) == pytest.approx(0.0909, abs=5e-5)


def test_weighted_kappa_scores_categories_by_rank() -> None:
    # Strings sort alphabetically: low < mid < top; numbers in numeric order (2 < 10).
    words = [["low", "mid", "top", "mid"], ["mid", "mid", "top", "low"]]
    ranks = [[0, 1, 2, 1], [1, 1, 2, 0]]
    assert ag.cohen_kappa(words, "linear") == pytest.approx(ag.cohen_kappa(ranks, "linear"))
    numbers = [[2, 10, 10, 3], [3, 10, 2, 2]]
    by_rank = [[0, 2, 2, 1], [1, 2, 0, 0]]
    assert ag.cohen_kappa(numbers, "quadratic") == pytest.approx(
        ag.cohen_kappa(by_rank, "quadratic")
    )


def test_cohen_uses_only_units_both_coders_rated() -> None:
    full = [[1, 2, 1, 2, 1], [1, 2, 2, 2, 1]]
    gappy = [[1, 2, 1, 2, 1, None, 3], [1, 2, 2, 2, 1, 3, None]]
    assert ag.cohen_kappa(gappy) == pytest.approx(ag.cohen_kappa(full))
    assert ag.cohen_kappa(gappy, "linear") == pytest.approx(ag.cohen_kappa(full, "linear"))


def test_unit_weights_count_as_repeated_units() -> None:
    rows = [[1, 2, 2, None, 3], [1, 2, 3, 2, 3], [2, 2, 3, 1, None]]
    weights = [3, 1, 2, 4, 1]
    repeated = [[v for v, w in zip(row, weights, strict=True) for _ in range(w)] for row in rows]
    pairs = [rows[0], rows[1]], [repeated[0], repeated[1]]
    assert ag.cohen_kappa(pairs[0], unit_weights=weights) == pytest.approx(ag.cohen_kappa(pairs[1]))
    for func in (ag.percent_agreement, ag.fleiss_kappa, ag.conger_kappa, ag.gwet_ac1):
        assert func(rows, unit_weights=weights) == pytest.approx(func(repeated))
    for level in ag.LEVELS:
        assert ag.krippendorff_alpha(rows, level, unit_weights=weights) == pytest.approx(
            ag.krippendorff_alpha(repeated, level)
        )
    assert ag.fleiss_kappa_se(rows, unit_weights=weights).se == pytest.approx(
        ag.fleiss_kappa_se(repeated).se
    )


def test_fleiss_from_counts_equals_fleiss_from_ratings() -> None:
    counts = [[sum(1 for row in RAW4 if row[u] == c) for c in range(1, 6)] for u in range(12)]
    assert ag.fleiss_kappa_from_counts(counts) == pytest.approx(ag.fleiss_kappa(RAW4))
    assert ag.fleiss_kappa_se_from_counts(counts).se == pytest.approx(ag.fleiss_kappa_se(RAW4).se)


def test_many_coders_take_the_counting_path_with_the_same_results() -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(0, 4, size=(12, 60)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    rows = [[None if math.isnan(v) else int(v) for v in row] for row in data]
    # The reliability matrix read as rows of Python values and as a float array agree, and
    # percent agreement equals the mean over units of the share of agreeing coder pairs.
    assert ag.krippendorff_alpha(rows) == pytest.approx(ag.krippendorff_alpha(data))
    shares = []
    for unit in zip(*rows, strict=True):
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            pairs = [(i, j) for i in range(len(values)) for j in range(len(values)) if i != j]
            shares.append(sum(values[i] == values[j] for i, j in pairs) / len(pairs))
    assert ag.percent_agreement(rows) == pytest.approx(sum(shares) / len(shares))


@pytest.mark.parametrize(
    "func",
    [
        ag.percent_agreement,
        ag.cohen_kappa,
        ag.scott_pi,
        ag.fleiss_kappa,
        ag.conger_kappa,
        ag.gwet_ac1,
        ag.brennan_prediger,
        ag.krippendorff_alpha,
    ],
)
def test_undefined_cases_raise_not_computable(func: object) -> None:
    assert callable(func)
    for data in ([], [[], []], [["a", "b"]], [[1, None, 2], [None, 2, None]], [[1], [1]]):
        with pytest.raises(ag.NotComputable):
            func(data)


def test_single_category_is_not_computable_for_chance_corrected_coefficients() -> None:
    same = [["a"] * 5, ["a"] * 5, ["a"] * 5]
    for func in (ag.fleiss_kappa, ag.conger_kappa, ag.krippendorff_alpha):
        with pytest.raises(ag.NotComputable, match="0/0"):
            func(same)
    assert ag.percent_agreement(same) == 1.0
    with pytest.raises(ag.NotComputable, match="two possible categories"):
        ag.gwet_ac1(same)
    assert ag.gwet_ac1(same, n_categories=2) == 1.0


def test_cohen_refuses_more_than_two_coders() -> None:
    with pytest.raises(ag.NotComputable, match="exactly two coders"):
        ag.cohen_kappa(RAW4)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(QualcodeError, match="differ in length"):
        ag.krippendorff_alpha([[1, 2, 3], [1, 2]])
    with pytest.raises(QualcodeError, match="cannot be a category"):
        ag.krippendorff_alpha([[[1], [2]], [[1], [2]]])
    with pytest.raises(QualcodeError, match="list of ratings"):
        ag.krippendorff_alpha(["abc", "abd"])
    with pytest.raises(QualcodeError, match="numeric"):
        ag.krippendorff_alpha([["a", "b", "a"], ["a", "b", "b"]], "interval")
    with pytest.raises(QualcodeError, match="zero or more"):
        ag.krippendorff_alpha([[-1, 2, 3], [-1, 2, 2]], "ratio")
    with pytest.raises(QualcodeError, match="unknown level"):
        ag.krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
    with pytest.raises(QualcodeError, match="weights"):
        ag.cohen_kappa([[1, 2], [1, 2]], "cubic")  # type: ignore[arg-type]
    with pytest.raises(QualcodeError, match="unit weights"):
        ag.percent_agreement([[1, 2], [1, 2]], unit_weights=[1, -1])
    with pytest.raises(QualcodeError, match="square"):
        ag.cohen_kappa_from_table([[1, 2, 3], [4, 5, 6]])


def test_nan_marks_a_missing_rating_like_none() -> None:
    with_none = [[1, 2, None, 1], [1, 2, 2, 2]]
    with_nan = [[1, 2, float("nan"), 1], [1, 2, 2, 2]]
    assert ag.krippendorff_alpha(with_nan) == ag.krippendorff_alpha(with_none)
    assert ag.krippendorff_alpha(np.array(with_nan)) == pytest.approx(
        ag.krippendorff_alpha(with_none)
    )
