"""Reliability data: validation, integer coding, Krippendorff's coincidences, per-unit tallies.

A reliability matrix is a list of coder rows over the same units. A missing rating is ``None``,
a float NaN (``float("nan")``, ``numpy.nan``), ``pandas.NA``, ``pandas.NaT`` or a NumPy NaT.
Infinite numbers and ``Decimal("NaN")`` are refused with an error: neither is a category nor
an agreed way of saying "missing".

A matrix is turned once into a :class:`Ratings`: an int32 array of category indices (``-1`` =
missing), the ordered categories, and one weight per unit. A weight is a multiplicity: a unit
of weight 3 counts as three identical units (character-level agreement uses this to count each
stretch of identically coded characters once).

Memory stays at O(units) for one coder pair at a time plus categories x categories: nothing
here builds a units x categories x categories array.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from qualcode.agreement.errors import NotComputable
from qualcode.errors import QualcodeError

FloatArray = NDArray[np.float64]
CodeArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]
ReliabilityMatrix = Sequence[Sequence[Hashable | None]]

MISSING = -1
CHUNK_CELLS = 1 << 20  # units x categories cells held at once by the counting path
PAIRWISE_MAX_PAIRS = 28  # up to 8 coders: one bincount per coder pair


@dataclass(frozen=True, eq=False)
class Ratings:
    """Reliability data coded as integers: ``codes[coder, unit]`` indexes ``categories``."""

    codes: CodeArray
    categories: tuple[Any, ...]
    weights: FloatArray

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_categories(self) -> int:
        return len(self.categories)

    def raters(self) -> FloatArray:
        """How many coders rated each unit."""
        counts: FloatArray = (self.codes >= 0).sum(axis=0).astype(np.float64)
        return counts

    def select_units(self, keep: BoolArray) -> Ratings:
        return Ratings(self.codes[:, keep], self.categories, self.weights[keep])

    def pairable_weight(self) -> float:
        """Units (counted with their weights) rated by two coders or more."""
        return float(self.weights[self.raters() >= 2].sum())


def order_categories(values: Iterable[Any]) -> list[Any]:
    """Numeric order for numbers, sorted order otherwise; mixed types by type name, then repr."""
    items = list(values)
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=lambda v: (type(v).__name__, repr(v)))


def is_numeric(categories: Sequence[Any]) -> bool:
    return all(isinstance(c, Real) for c in categories)


def as_ratings(
    data: Any,
    unit_weights: Sequence[float] | FloatArray | None = None,
    *,
    min_coders: int = 2,
    categories: Sequence[Any] | None = None,
) -> Ratings:
    """Validate and code a reliability matrix (coder rows over units).

    Accepts a list of rows, a 2-D numeric numpy array with NaN for missing ratings, or a
    :class:`Ratings`. ``categories`` gives the whole scale in its order (an ordinal scale of
    worded labels, or scale points nobody used); every rating must be one of them. Without it
    the categories are the values that occur, in sorted order. Raises NotComputable for empty
    data or too few coders and QualcodeError for malformed input (ragged rows, unhashable,
    infinite or unknown ratings, bad weights).
    """
    if isinstance(data, Ratings):
        ratings = data
        if unit_weights is not None:
            ratings = Ratings(
                ratings.codes, ratings.categories, _weights(unit_weights, data.n_units)
            )
    else:
        if isinstance(data, np.ndarray) and data.ndim == 2 and data.dtype.kind in "biuf":
            codes, found = _codes_from_numeric(data)
        else:
            codes, found = _codes_from_rows(data)
        ratings = Ratings(codes, found, _weights(unit_weights, codes.shape[1]))
    if categories is not None:
        ratings = on_scale(ratings, categories)
    if ratings.n_coders < min_coders:
        raise NotComputable(
            f"agreement needs at least {min_coders} coders; the data have {ratings.n_coders}"
        )
    return ratings


def check_scale(categories: Sequence[Any]) -> tuple[Any, ...]:
    """A declared scale: hashable, distinct, none of them a missing-value marker."""
    if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
        raise QualcodeError("categories must be a list of the scale's values, in order")
    scale = tuple(categories)
    seen: set[Any] = set()
    for value in scale:
        try:
            if value in seen:
                raise QualcodeError(f"category {value!r} is listed twice")
        except TypeError:
            raise QualcodeError(f"category {value!r} cannot be a category") from None
        if is_missing(value):
            raise QualcodeError(f"a missing-value marker ({value!r}) cannot be a category")
        check_rating(value)
        seen.add(value)
    if not scale:
        raise QualcodeError("categories must list at least one value")
    return scale


def on_scale(ratings: Ratings, categories: Sequence[Any]) -> Ratings:
    """The same ratings with their codes indexing the declared scale ``categories``."""
    scale = check_scale(categories)
    position = {value: i for i, value in enumerate(scale)}
    remap = np.empty(ratings.n_categories + 1, dtype=np.int32)
    remap[-1] = MISSING
    for i, value in enumerate(ratings.categories):
        if value not in position:
            shown = ", ".join(repr(c) for c in scale)
            raise QualcodeError(f"rating {value!r} is not one of the categories ({shown})")
        remap[i] = position[value]
    return Ratings(remap[ratings.codes], scale, ratings.weights)


def _weights(weights: Sequence[float] | FloatArray | None, n_units: int) -> FloatArray:
    if weights is None:
        return np.ones(n_units, dtype=np.float64)
    arr = np.asarray(weights, dtype=np.float64)
    if arr.shape != (n_units,):
        raise QualcodeError(f"expected {n_units} unit weights, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or bool((arr < 0).any()):
        raise QualcodeError("unit weights must be finite and not negative")
    return arr


def _codes_from_numeric(arr: NDArray[Any]) -> tuple[CodeArray, tuple[Any, ...]]:
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
        values = arr[~missing]
        if not np.all(np.isfinite(values)):
            raise QualcodeError("ratings must be finite numbers (NaN marks a missing rating)")
    else:
        missing = np.zeros(arr.shape, dtype=bool)
        values = arr.ravel()
    codes = np.full(arr.shape, MISSING, dtype=np.int32)
    small = _small_integer_codes(values)
    if small is not None:
        codes[~missing], cats = small
    else:
        cats = np.unique(values)
        codes[~missing] = np.searchsorted(cats, values).astype(np.int32)
    return codes, tuple(c.item() for c in cats)


def _small_integer_codes(values: NDArray[Any]) -> tuple[CodeArray, NDArray[Any]] | None:
    """Codes by counting instead of sorting when the ratings are integers in a short range."""
    if values.size == 0 or values.dtype.kind == "b":
        return None
    low, high = values.min(), values.max()
    if high - low >= 1 << 16:
        return None
    offset = values - low
    index = offset.astype(np.intp)
    if values.dtype.kind == "f" and not np.array_equal(index, offset):
        return None
    present = np.bincount(index) > 0
    rank = (np.cumsum(present) - 1).astype(np.int32)
    cats = (np.flatnonzero(present) + low).astype(values.dtype)
    return rank[index], cats


def _codes_from_rows(data: Any) -> tuple[CodeArray, tuple[Any, ...]]:
    if data is None or isinstance(data, str | bytes):
        raise QualcodeError("a reliability matrix is a list of coder rows")
    rows: list[list[Any]] = []
    for row in data:
        if isinstance(row, str | bytes) or not isinstance(row, Iterable):
            raise QualcodeError(f"each coder row must be a list of ratings, not {row!r}")
        rows.append(list(row))
    if not rows:
        raise NotComputable("no ratings: the reliability matrix has no coder rows")
    n_units = len(rows[0])
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        raise QualcodeError(f"coder rows differ in length: {sorted(lengths)}")
    index: dict[Hashable, int] = {}
    flat: list[int] = []
    append = flat.append
    na, nat = pd.NA, pd.NaT
    for row in rows:
        for value in row:
            # identity first: pandas.NA must never be compared (its truth value raises)
            if value is None or value is na or value is nat:
                append(MISSING)
                continue
            try:
                code = index.get(value)
            except TypeError:
                raise QualcodeError(f"rating {value!r} cannot be a category") from None
            if code is None:
                if is_missing(value):
                    append(MISSING)
                    continue
                check_rating(value)
                code = index[value] = len(index)
            append(code)
    ordered = order_categories(index)
    remap = np.empty(len(index) + 1, dtype=np.int32)
    remap[-1] = MISSING
    for rank, value in enumerate(ordered):
        remap[index[value]] = rank
    codes = remap[np.asarray(flat, dtype=np.int64).reshape(len(rows), n_units)]
    return codes.astype(np.int32, copy=False), tuple(ordered)


def is_missing(value: Any) -> bool:
    """None, a float NaN, pandas.NA, pandas.NaT or a NumPy NaT (not Decimal("NaN"))."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return isinstance(value, Real) and not isinstance(value, int) and math.isnan(float(value))


def check_rating(value: Any) -> None:
    """Refuse ratings that look numeric but are no category: infinities and Decimal NaN."""
    if isinstance(value, Decimal):
        if value.is_nan():
            raise QualcodeError(
                f"rating {value!r} is not a number; mark a missing rating with None"
            )
        if value.is_infinite():
            raise QualcodeError(f"rating {value!r} is infinite; ratings must be finite")
    elif isinstance(value, Real) and not isinstance(value, int) and math.isinf(float(value)):
        raise QualcodeError(f"rating {value!r} is infinite; ratings must be finite")


def _pairwise(n_coders: int) -> bool:
    return n_coders * (n_coders - 1) // 2 <= PAIRWISE_MAX_PAIRS


def unit_counts(codes: CodeArray, n_categories: int) -> FloatArray:
    """units x categories: how many coders chose each category (for a chunk of units)."""
    n_units = codes.shape[1]
    if n_categories <= 8:  # a few comparisons beat one scatter over every rating
        out = np.empty((n_units, n_categories), dtype=np.float64)
        for c in range(n_categories):
            out[:, c] = (codes == c).sum(axis=0)
        return out
    valid = codes >= 0
    unit = np.broadcast_to(np.arange(n_units, dtype=np.intp), codes.shape)[valid]
    flat = np.bincount(unit * n_categories + codes[valid], minlength=n_units * n_categories).astype(
        np.float64
    )
    return flat.reshape(n_units, n_categories)


def _chunks(n_units: int, n_categories: int) -> Iterable[slice]:
    step = max(1, CHUNK_CELLS // max(1, n_categories))
    for start in range(0, n_units, step):
        yield slice(start, min(n_units, start + step))


def coincidences(ratings: Ratings) -> FloatArray:
    """Krippendorff's coincidence matrix ``o[c, k]`` (categories x categories).

    Each unit with m >= 2 ratings adds, for every ordered pair of its ratings (c, k) by two
    different coders, ``weight / (m - 1)`` to ``o[c, k]``. Units rated once are ignored.
    """
    k = ratings.n_categories
    m = ratings.raters()
    keep = m >= 2
    out = np.zeros((k, k), dtype=np.float64)
    if not keep.any():
        return out
    codes = ratings.codes[:, keep]
    w = ratings.weights[keep] / (m[keep] - 1.0)
    if _pairwise(ratings.n_coders):
        flat = np.zeros(k * k, dtype=np.float64)
        for i in range(ratings.n_coders):
            ci = codes[i]
            vi = ci >= 0
            for j in range(i + 1, ratings.n_coders):
                cj = codes[j]
                both = vi & (cj >= 0)
                idx = ci[both].astype(np.intp) * k + cj[both]
                flat += np.bincount(idx, weights=w[both], minlength=k * k)
        half = flat.reshape(k, k)
        return half + half.T
    for part in _chunks(codes.shape[1], k):
        counts = unit_counts(codes[:, part], k)
        weighted = counts * w[part, None]
        out += counts.T @ weighted
        out -= np.diag(weighted.sum(axis=0))
    return out


class Tally:
    """Per-unit tallies behind the multi-rater coefficients (Gwet's notation).

    For every unit rated at least once: ``raters`` r_u, ``agree`` = sum_k r_uk (r_uk - 1)
    (ordered pairs of coders who agree) and its ``weight``. Units nobody rated are dropped.
    Built from a reliability matrix or from subject x category counts.
    """

    def __init__(
        self,
        raters: FloatArray,
        agree: FloatArray,
        weights: FloatArray,
        n_categories: int,
        codes: CodeArray | None = None,
        counts: FloatArray | None = None,
    ) -> None:
        self.raters = raters
        self.agree = agree
        self.weights = weights
        self.n_categories = n_categories
        self._codes = codes
        self._counts = counts

    @classmethod
    def from_ratings(cls, ratings: Ratings) -> Tally:
        rated = ratings.raters() >= 1
        r = ratings.select_units(rated) if not rated.all() else ratings
        codes = r.codes
        k = r.n_categories
        agree = np.zeros(r.n_units, dtype=np.float64)
        if _pairwise(r.n_coders):
            for i in range(r.n_coders):
                ci = codes[i]
                for j in range(i + 1, r.n_coders):
                    agree += (ci == codes[j]) & (ci >= 0)
            agree *= 2.0
        else:
            for part in _chunks(r.n_units, k):
                counts = unit_counts(codes[:, part], k)
                agree[part] = (counts * (counts - 1.0)).sum(axis=1)
        return cls(r.raters(), agree, r.weights, k, codes=codes)

    @classmethod
    def from_counts(cls, counts: Any) -> Tally:
        arr = np.asarray(counts, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
            raise NotComputable("no ratings: subject x category counts are empty")
        if not np.all(np.isfinite(arr)) or bool((arr < 0).any()):
            raise QualcodeError("subject x category counts must be finite and not negative")
        if not np.array_equal(arr, np.round(arr)):
            raise QualcodeError("subject x category counts must be whole numbers")
        raters = arr.sum(axis=1)
        rated = raters >= 1
        arr = arr[rated]
        agree = (arr * (arr - 1.0)).sum(axis=1)
        weights = np.ones(arr.shape[0], dtype=np.float64)
        return cls(raters[rated], agree, weights, arr.shape[1], counts=arr)

    def dot(self, per_category: FloatArray) -> FloatArray:
        """Per unit: sum over its ratings of ``per_category[rating]``."""
        if self._counts is not None:
            return np.asarray(self._counts @ per_category, dtype=np.float64)
        assert self._codes is not None
        out = np.zeros(self._codes.shape[1], dtype=np.float64)
        for row in self._codes:
            valid = row >= 0
            out[valid] += per_category[row[valid]]
        return out

    def category_sums(self, per_unit: FloatArray) -> FloatArray:
        """Per category: sum over units of ``per_unit[u] * r_uk``."""
        if self._counts is not None:
            return np.asarray(per_unit @ self._counts, dtype=np.float64)
        assert self._codes is not None
        out = np.zeros(self.n_categories, dtype=np.float64)
        for row in self._codes:
            valid = row >= 0
            out += np.bincount(row[valid], weights=per_unit[valid], minlength=self.n_categories)
        return out

    @property
    def pairable(self) -> BoolArray:
        return self.raters >= 2
