"""The agreement report holds one code's units at a time: its peak memory (tracemalloc, which
sees numpy's buffers) is a few codes' worth of units, not every code's.

On this project the report that built every code's units at once peaked at 83 times one code's
units; code by code it peaks near 9 times (most of it the bootstrap's fixed 8 MB of draws)."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np

from qualcode.agreement.report import ReportOptions, build_report
from qualcode.agreement.units import CodingData, DocumentCodings, build_variable

CODERS = ("a", "b", "c")
CODES = tuple(f"code {i}" for i in range(12))


def generated(documents: int = 150, sentences: int = 300, seed: int = 5) -> CodingData:
    rng = random.Random(seed)
    docs = []
    for d in range(documents):
        bounds = np.arange(sentences + 1, dtype=np.int64) * 40
        units = np.column_stack((bounds[:-1], bounds[1:] - 1))
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for _ in range(15):
            start, end = (int(x) for x in units[rng.randrange(sentences)])
            code = rng.choice(CODES)
            for coder in CODERS:
                if rng.random() < 0.8:
                    spans.setdefault((coder, code), []).append((start, end))
        docs.append(DocumentCodings(f"D{d}", sentences * 40, frozenset(CODERS), spans, units))
    return CodingData(CODERS, CODES, tuple(docs))


def test_peak_is_a_few_codes_worth_not_every_code() -> None:
    data = generated()
    one = build_variable(data, CODES[0], "sentence")
    one_code = one.values.nbytes + one.weights.nbytes + one.document.nbytes + one.position.nbytes
    del one
    tracemalloc.start()
    try:
        report = build_report(data, "sentence", options=ReportOptions(n_boot=50))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report["overall"]["units"] == 150 * 300 * len(CODES)
    # every code's units side by side alone would be 12 codes' worth
    assert peak < 20 * one_code, (peak, one_code)
