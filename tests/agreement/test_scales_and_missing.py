"""Missing ratings in every spelling, refused values, and declared (ordered, full) scales."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode import agreement as ag
from qualcode.errors import QualcodeError

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units; published alphas: nominal .743, ordinal .815, interval .849.
C_DATA: list[list[Any]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
SCALE = ["very low", "low", "medium", "high", "very high"]  # 1 .. 5 in words


def with_missing(marker: Any) -> list[list[Any]]:
    return [[marker if v is None else v for v in row] for row in C_DATA]


@pytest.mark.parametrize(
    "marker",
    [float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")],
    ids=["float-nan", "numpy-nan", "float32-nan", "pandas-NA", "pandas-NaT", "numpy-NaT"],
)
def test_every_missing_marker_is_missing_not_a_category(marker: Any) -> None:
    data = with_missing(marker)
    assert ag.krippendorff_alpha(data) == pytest.approx(0.7434210526, abs=1e-10)
    assert ag.krippendorff_alpha(data, "ordinal") == pytest.approx(0.815, abs=5e-4)
    assert ag.as_ratings(data).categories == (1, 2, 3, 4, 5)


def test_pandas_na_in_an_object_frame_is_missing() -> None:
    frame = pd.DataFrame(C_DATA, dtype="Int64")  # nullable integers: None becomes pd.NA
    assert frame.isna().sum().sum() == 7
    rows = frame.astype(object).values.tolist()
    assert any(v is pd.NA for row in rows for v in row)
    assert ag.krippendorff_alpha(rows) == pytest.approx(0.7434210526, abs=1e-10)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (float("inf"), "infinite"),
        (-np.inf, "infinite"),
        (Decimal("Infinity"), "infinite"),
        (Decimal("NaN"), "not a number"),
    ],
)
def test_infinite_and_decimal_nan_ratings_are_refused(value: Any, words: str) -> None:
    data = [[1, 2, value, 1], [1, 2, 2, 1]]
    with pytest.raises(QualcodeError, match=words):
        ag.krippendorff_alpha(data)
    with pytest.raises(QualcodeError, match="finite"):
        ag.krippendorff_alpha(np.array([[1.0, 2.0, np.inf], [1.0, 2.0, 2.0]]))


def test_worded_ordinal_scale_gives_krippendorffs_published_value() -> None:
    words = [[None if v is None else SCALE[v - 1] for v in row] for row in C_DATA]
    # Krippendorff (2011), section D: ordinal alpha = .815 (krippendorff package: .81539)
    assert ag.krippendorff_alpha(words, "ordinal", categories=SCALE) == pytest.approx(
        0.8153875037548814, abs=1e-12
    )
    # Sorted alphabetically ("high" < "low" < "medium" < "very high" < "very low") the
    # ranks are wrong and so is alpha.
    alphabetical = ag.krippendorff_alpha(words, "ordinal")
    assert abs(alphabetical - 0.815) > 0.05
    # Nominal alpha ignores the order: the same with or without the scale.
    assert ag.krippendorff_alpha(words, categories=SCALE) == pytest.approx(0.7434210526)


def test_unused_scale_points_change_weighted_kappa_like_sklearn_labels() -> None:
    # SAS PROC FREQ example (statsmodels' test_inter_rater): linear weighted kappa .4701
    # on the 3-point scale low, mid, high.
    table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    first = [i for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    second = [j for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    names = ["low", "mid", "high"]
    worded = [[names[v] for v in first], [names[v] for v in second]]
    assert ag.cohen_kappa(worded, "linear", categories=names) == pytest.approx(0.4701, abs=5e-5)
    # Sorted alphabetically (high, low, mid) the weights would be wrong:
    assert ag.cohen_kappa(worded, "linear") != pytest.approx(0.4701, abs=1e-3)
    # On a 4-point scale whose point "upper" (between mid and high) nobody used, high lies
    # 3 steps from low and 2 from mid: weights 1 - |i - j| / 3 on positions 0, 1, 3.
    scale4 = ["low", "mid", "upper", "high"]
    ours = ag.cohen_kappa(worded, "linear", categories=scale4)
    sk = cohen_kappa_score(worded[0], worded[1], labels=scale4, weights="linear")
    assert ours == pytest.approx(sk, abs=1e-12)
    # By hand: disagreements 4 x (low, mid) at 1 step, 1 x (low, high) at 3, 1 x (high, mid)
    # at 2: p_o = 1 - (4 + 3 + 2) / (3 x 19) = 48/57. Margins: rows (5, 8, 0, 6), columns
    # (0, 13, 0, 6) of 19.
    rows, cols = np.array([5, 8, 0, 6]) / 19, np.array([0, 13, 0, 6]) / 19
    w = 1 - np.abs(np.subtract.outer(range(4), range(4))) / 3
    p_e = float(rows @ w @ cols)
    assert ours == pytest.approx((48 / 57 - p_e) / (1 - p_e), abs=1e-12)
    assert ours != pytest.approx(0.4701, abs=1e-3)
    assert ag.cohen_kappa_se(worded, "linear", categories=scale4).value == pytest.approx(ours)
    # An unused scale point changes nothing in unweighted kappa.
    assert ag.cohen_kappa(worded, categories=scale4) == pytest.approx(ag.cohen_kappa(worded))


def test_a_rating_off_the_declared_scale_is_an_error() -> None:
    with pytest.raises(QualcodeError, match="not one of the categories"):
        ag.krippendorff_alpha([["low", "odd"], ["low", "low"]], categories=["low", "high"])
    with pytest.raises(QualcodeError, match="listed twice"):
        ag.krippendorff_alpha([["low"], ["low"]], categories=["low", "low"])
