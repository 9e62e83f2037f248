"""Import throughput and memory, next to a baseline measured in the same run.

Baseline: bare ``nlp.pipe`` sentence segmentation of the same texts plus a raw sqlite3 insert of
the same rows: documents, sentences, and the turn and paragraph rows qualcode stores (computed
before the baseline's clock starts, so the baseline pays only for inserting them). Each
measurement runs in its own process so that peak memory (max RSS) is its own.
Run: ``python tests/bench/bench_import.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "exports" / "bench" / "import.json"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {here!r})
mode, folder, n, db = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
files = sorted(folder.glob("T*.txt"))[:n]
t0 = time.perf_counter()
if mode == "qualcode":
    from qualcode.ingest import import_files
    from qualcode.store import open_project
    project = open_project(db, create=True)
    t0 = time.perf_counter()
    import_files(project, files, actor="bench")
else:
    import hashlib, sqlite3, spacy
    from qualcode.ingest.readers import RawTranscript
    from qualcode.ingest.segment import structure
    nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")
    texts = [f.read_text(encoding="utf-8") for f in files]
    # Not timed: the turn and paragraph rows qualcode stores, so both insert the same rows.
    other = [[(r.kind, r.start, r.end, r.speaker) for r in structure(RawTranscript(t, "txt"))[0]]
             for t in texts]
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT, text TEXT, sha256 TEXT)"
    )
    con.execute("CREATE TABLE segments (document_id INT, kind TEXT, start INT, end INT, "
                "speaker TEXT, time_start REAL, time_end REAL)")
    t0 = time.perf_counter()
    pairs = ((f.read_text(encoding="utf-8"), (f.name, rows)) for f, rows in zip(files, other))
    for doc, (name, rows) in nlp.pipe(pairs, as_tuples=True, batch_size=64):
        cur = con.execute("INSERT INTO documents (name, text, sha256) VALUES (?, ?, ?)",
                          (name, doc.text, hashlib.sha256(doc.text.encode()).hexdigest()))
        did = cur.lastrowid
        sents = [(did, "sentence", s.start_char, s.end_char, None, None, None) for s in doc.sents]
        more = [(did, k, a, b, sp, None, None) for k, a, b, sp in rows]
        con.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?)", sents + more)
    con.commit()
seconds = time.perf_counter() - t0
print(json.dumps({{"seconds": seconds,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(mode: str, folder: Path, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        code = CHILD.format(here=str(HERE))
        out = subprocess.run(
            [sys.executable, "-c", code, mode, str(folder), str(n), db],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    sizes = [25, 50, 100] if args.quick else [250, 500, 1000]
    words = 2000 if args.quick else 8000
    sys.path.insert(0, str(HERE))
    from corpus_gen import machine, write_corpus

    corpus = Path(tempfile.gettempdir()) / f"qualcode-bench-corpus-{words}"
    write_corpus(corpus, max(sizes), words)
    rows = []
    for n in sizes:
        ours = measure("qualcode", corpus, n)
        base = measure("baseline", corpus, n)
        row = {
            "documents": n,
            "words_per_document": words,
            "qualcode_s": round(ours["seconds"], 2),
            "baseline_s": round(base["seconds"], 2),
            "throughput_ratio": round(base["seconds"] / ours["seconds"], 3),
            "qualcode_peak_rss_mb": round(ours["max_rss_mb"], 1),
            "baseline_peak_rss_mb": round(base["max_rss_mb"], 1),
        }
        rows.append(row)
        print(
            f"{n:>5} docs: qualcode {row['qualcode_s']:>7.2f} s, "
            f"baseline {row['baseline_s']:>7.2f} s, "
            f"throughput {row['throughput_ratio']:.0%} of baseline; peak RSS "
            f"{row['qualcode_peak_rss_mb']:.0f} MB (baseline {row['baseline_peak_rss_mb']:.0f} MB)",
            flush=True,
        )
    result = {
        "benchmark": "import",
        "machine": machine(),
        "rows": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
