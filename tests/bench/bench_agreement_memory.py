"""Benchmark: peak memory of the agreement report, and of the exports that include it, on
3 coders x N documents. Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_agreement_memory.py           # 1,000 documents
    .venv/bin/python tests/bench/bench_agreement_memory.py --quick   # 100 documents

The project is the one bench_analysis.py builds (generated 8,000-word transcripts, twelve codes,
three coders who mostly agree), made once and kept under the temporary folder. Each measurement
runs in a process of its own and reports that process's peak resident memory (ru_maxrss from
``os.wait4``), start-up included:

* ``qualcode agreement --json`` (the report at the sentence unit, 5,000 bootstrap samples);
* ``qualcode export xlsx`` (the whole workbook; its Agreement sheet is this report);
* a bare Python process that imports qualcode's report module and does nothing, the floor.

Figures are printed and written to exports/bench/agreement_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "exports" / "bench" / "agreement_memory.json"
QUALCODE = Path(sys.executable).with_name("qualcode")
TARGET_MB = 250.0


def build_project(path: Path, documents: int, words: int) -> None:
    """The 3-coder project of bench_analysis.py, written once to ``path``."""
    sys.path.insert(0, str(HERE))
    from bench_analysis import code_new_documents, seed_codebook
    from corpus_gen import write_corpus

    from qualcode.ingest import import_files
    from qualcode.store import open_project

    corpus = Path(tempfile.gettempdir()) / f"qualcode-bench-corpus-{words}"
    files = write_corpus(corpus, documents, words)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    project = open_project(partial, create=True)
    codes = seed_codebook(project)
    import_files(project, files, actor="bench")
    code_new_documents(project, codes, seed=documents)
    project.dispose()
    partial.rename(path)


def peak_rss_mb(argv: list[str]) -> tuple[float, float]:
    """(peak resident MB, seconds) of one process run to its end."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    return usage.ru_maxrss / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 short documents")
    parser.add_argument("--documents", type=int, default=None)
    args = parser.parse_args()
    documents = args.documents or (100 if args.quick else 1000)
    words = 2000 if args.quick else 8000
    db = Path(tempfile.gettempdir()) / f"qualcode-bench-agreement-{documents}-{words}.db"
    if not db.exists():
        print(f"building {db} ({documents} documents of {words} words) ...", flush=True)
        build_project(db, documents, words)
    project = ["--project", str(db)]
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "floor": [sys.executable, "-c", "import qualcode.agreement.project_report"],
            "agreement": [str(QUALCODE), "agreement", "--json", *project],
            "export_xlsx": [str(QUALCODE), "export", "xlsx", str(Path(tmp) / "x.xlsx"), *project],
        }
        for name, argv in commands.items():
            mb, seconds = peak_rss_mb(argv)
            runs[name] = {"peak_rss_mb": round(mb, 1), "seconds": round(seconds, 2)}
            print(f"{name:>12}: peak RSS {mb:7.1f} MB in {seconds:6.2f} s", flush=True)
    sys.path.insert(0, str(HERE))
    from corpus_gen import machine

    result = {
        "benchmark": "agreement_memory",
        "machine": machine(),
        "coders": 3,
        "documents": documents,
        "words_per_document": words,
        "target_mb": TARGET_MB,
        "runs": runs,
        "agreement_under_target": runs["agreement"]["peak_rss_mb"] < TARGET_MB,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
