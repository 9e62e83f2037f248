"""Benchmark: our Krippendorff's alpha against the ``krippendorff`` package on the same data.

Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_alpha.py          # 5 coders x 200,000 units x 20 categories
    .venv/bin/python tests/bench/bench_alpha.py --quick  # 5 coders x 20,000 units

The data are seeded: every unit has a true category, each coder reports it with probability
0.7 (else a random category), and 10% of the ratings are missing. Both implementations get the
same float array (NaN = missing). Time: paired rounds without tracing (``paired.py``: the
two back to back, alternating which goes first; median and range, the speed-up per round);
peak memory is measured in a separate run with tracemalloc (numpy reports its buffers to it).
The figures and ratios are printed and written to exports/bench/alpha.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np

from qualcode.agreement import krippendorff_alpha

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from paired import paired_rounds, ratios, spread  # noqa: E402


def make_data(coders: int, units: int, categories: int, missing: float, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, categories, size=units)
    noise = rng.integers(0, categories, size=(coders, units))
    keep = rng.random((coders, units)) < 0.7
    data = np.where(keep, truth[None, :], noise).astype(np.float64)
    data[rng.random((coders, units)) < missing] = np.nan
    return data


def clock(func: Callable[[], float], values: list[float]) -> Callable[[], float]:
    """Seconds of one call; its value goes to ``values``."""

    def go() -> float:
        gc.collect()
        start = time.perf_counter()
        values.append(func())
        return time.perf_counter() - start

    return go


def peak_bytes(func: Callable[[], float]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 units instead of 200,000")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--level", default="nominal")
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds (>= 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "exports" / "bench" / "alpha.json")
    args = parser.parse_args(argv)

    coders, categories, missing = 5, 20, 0.10
    units = 20_000 if args.quick else 200_000
    data = make_data(coders, units, categories, missing, args.seed)

    def ours() -> float:
        return krippendorff_alpha(data, args.level)

    def theirs() -> float:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=args.level))

    ours_values: list[float] = []
    theirs_values: list[float] = []
    runs = paired_rounds(
        {"ours": clock(ours, ours_values), "theirs": clock(theirs, theirs_values)}, args.rounds
    )
    ours_value, theirs_value = ours_values[-1], theirs_values[-1]
    ours_s, theirs_s = spread(runs["ours"]), spread(runs["theirs"])
    ours_time, theirs_time = ours_s["median"], theirs_s["median"]
    ours_peak = peak_bytes(ours)
    theirs_peak = peak_bytes(theirs)

    result: dict[str, Any] = {
        "data": {
            "coders": coders,
            "units": units,
            "categories": categories,
            "missing": missing,
            "seed": args.seed,
            "level": args.level,
        },
        "rounds": args.rounds,
        "ours": {"alpha": ours_value, "seconds": ours_s, "peak_bytes": ours_peak},
        "krippendorff": {
            "version": metadata.version("krippendorff"),
            "alpha": theirs_value,
            "seconds": theirs_s,
            "peak_bytes": theirs_peak,
        },
        "speedup": spread(ratios(runs["theirs"], runs["ours"]), 2),
        "memory_ratio": ours_peak / theirs_peak,
        "same_alpha": abs(ours_value - theirs_value) < 1e-9,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    mib = 1024 * 1024
    print(f"{coders} coders x {units:,} units x {categories} categories, {missing:.0%} missing")
    print(f"  ours          alpha={ours_value:.6f}  {ours_time:8.3f} s  {ours_peak / mib:9.1f} MiB")
    print(
        f"  krippendorff  alpha={theirs_value:.6f}  {theirs_time:8.3f} s  "
        f"{theirs_peak / mib:9.1f} MiB"
    )
    print(
        f"  ours is {result['speedup']['median']:.1f}x faster (median of paired rounds) and needs "
        f"{result['memory_ratio']:.2%} of the memory; same alpha: {result['same_alpha']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  written to {args.out}")
    return result


if __name__ == "__main__":
    main()
