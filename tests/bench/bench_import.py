"""Import throughput and memory, next to a baseline measured in the same run.

Baseline: bare ``nlp.pipe`` sentence segmentation of the same texts plus a raw sqlite3 insert of
the same rows: documents, sentences, and the turn and paragraph rows qualcode stores (computed
before the baseline's clock starts, so the baseline pays only for inserting them). Each
measurement runs in its own process so that peak memory (max RSS) is its own. The two sides run
in paired rounds (``paired.py``: at least three, alternating which goes first); the figures are
the median and range over the rounds, the throughput ratio the median of the per-round ratios.
Run: ``python tests/bench/bench_import.py [--quick] [--rounds N]``.
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
    from qualcode.nlp.sentences import sentence_nlp
    from qualcode.store import open_project
    project = open_project(db, create=True)
    sentence_nlp()  # loading spaCy is outside the clock on both sides
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
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds per size (>= 3)")
    args = parser.parse_args()
    sizes = [25, 50, 100] if args.quick else [250, 500, 1000]
    words = 2000 if args.quick else 8000
    sys.path.insert(0, str(HERE))
    from corpus_gen import machine, write_corpus
    from paired import fmt, paired_rounds, ratios, spread

    corpus = Path(tempfile.gettempdir()) / f"qualcode-bench-corpus-{words}"
    write_corpus(corpus, max(sizes), words)
    rows = []
    for n in sizes:
        runs = paired_rounds(
            {
                "qualcode": lambda n=n: measure("qualcode", corpus, n),
                "baseline": lambda n=n: measure("baseline", corpus, n),
            },
            args.rounds,
        )
        ours = [r["seconds"] for r in runs["qualcode"]]
        base = [r["seconds"] for r in runs["baseline"]]
        row = {
            "documents": n,
            "words_per_document": words,
            "rounds": args.rounds,
            "qualcode_s": spread(ours, 2),
            "baseline_s": spread(base, 2),
            # throughput = baseline time / qualcode time, taken within each round
            "throughput_ratio": spread([1 / r for r in ratios(ours, base)], 3),
            "qualcode_peak_rss_mb": spread([r["max_rss_mb"] for r in runs["qualcode"]], 1),
            "baseline_peak_rss_mb": spread([r["max_rss_mb"] for r in runs["baseline"]], 1),
        }
        rows.append(row)
        through = row["throughput_ratio"]
        print(
            f"{n:>5} docs: qualcode {fmt(row['qualcode_s'])}, baseline {fmt(row['baseline_s'])}, "
            f"throughput {through['median']:.0%} of baseline "
            f"({through['min']:.0%}-{through['max']:.0%}); peak RSS "
            f"{row['qualcode_peak_rss_mb']['median']:.0f} MB "
            f"(baseline {row['baseline_peak_rss_mb']['median']:.0f} MB)",
            flush=True,
        )
    result = {
        "benchmark": "import",
        "machine": machine(),
        "rounds": args.rounds,
        "rows": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
