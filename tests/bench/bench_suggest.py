"""Benchmark: the code suggester on the demo project (24 fictional interviews, 2 coders).

Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_suggest.py

Builds the demo into a temporary project, then measures: one training run (held-out
cross-validation by document, then the suggestions of the offered codes) with its wall time
CPU time and Python peak memory (tracemalloc; numpy and scipy report their buffers to it), and the
open suggestions of one document as the coding screen reads them (median and p95 of 20
reads). Target (issue 16): training under 10 s on a 2-core machine, one document's
suggestions under 200 ms. Written to exports/bench/suggest.json.
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from qualcode.demo import build_demo
from qualcode.store import open_project
from qualcode.suggest.suggestions import read_open
from qualcode.suggest.train import train_suggester

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = open_project(Path(tmp) / "demo.db", create=True)
        build_demo(project)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        report = train_suggester(project)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        gc.collect()
        tracemalloc.start()
        train_suggester(project)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        opened = read_open(project)
        doc = opened.rows[0].document_id if opened.rows else 1
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            read_open(project, doc)
            times.append(time.perf_counter() - t0)
        project.dispose()
    times.sort()
    out = {
        "machine": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "documents": report.documents,
        "units": report.units,
        "codes_learned": len(report.codes),
        "codes_offered": len(report.offered),
        "suggestions": report.suggestions,
        "micro": report.micro,
        "train_seconds": round(seconds, 2),
        "train_cpu_seconds": round(cpu, 2),
        "train_peak_mb": round(peak / 1e6, 1),
        "one_document_ms_median": round(statistics.median(times) * 1000, 1),
        "one_document_ms_p95": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
    }
    print(json.dumps(out, indent=2))
    target = ROOT / "exports" / "bench" / "suggest.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
