"""Benchmark: ``qualcode import-codings`` of N rows against raw sqlite3 inserting the same rows,
each a process of its own, start-up included. Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_import_codings.py              # 3,000 rows, 5 rounds
    .venv/bin/python tests/bench/bench_import_codings.py --rows 300 --rounds 3

A project of 40 generated transcripts and twelve codes is built once; the CSV names each coding
by document name, code path, coder and offsets (three coders, a sentence each). Each round runs
both sides on a fresh copy of that project, in alternating order:

* ``qualcode import-codings CODINGS.csv --project COPY`` (``python -c "from qualcode.cli import
  main; main()"``: every row checked, audited, one transaction);
* the baseline: ``python -c`` that reads the same CSV with the csv module, maps document names,
  code paths and coders to ids with three queries, and inserts the same coding rows with one
  ``executemany`` and one commit (no checks, no audit).

Wall time (spawn to exit) and CPU time (user + system of the child) of each run are recorded;
the figures are the median and range over the rounds, and the median of the per-round ratios.
The target is a ratio of at most 5. Each round also runs both sides on a one-row file: the
difference is the cost of the other rows, so ``per_row`` compares the work itself without the
start-up (SQLAlchemy's import alone costs several times a whole sqlite3 run). Each round also
runs ``python -c "import sqlalchemy.orm"`` (``orm_import``): the floor of any command that reads
a project through the ORM, as a ratio to the sqlite3 run.
Written to exports/bench/import_codings.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "exports" / "bench" / "import_codings.json"
TARGET = 5.0
DOCUMENTS = 40
CODERS = ("c1", "c2", "c3")

CLI = [sys.executable, "-c", "from qualcode.cli import main; main()"]
BASELINE = r"""
import csv, sqlite3, sys, datetime
path, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
docs = dict(con.execute("SELECT name, id FROM documents"))
rows = con.execute("SELECT id, parent_id, name FROM codes").fetchall()
parent = {i: p for i, p, _ in rows}
name = {i: n for i, _, n in rows}
def path_of(i):
    parts = []
    while i is not None:
        parts.append(name[i]); i = parent[i]
    return "/".join(reversed(parts))
codes = {path_of(i): i for i in name}
coders = dict(con.execute("SELECT name, id FROM coders"))
now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(" ")
out = []
with open(path, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["coder"] not in coders:
            coders[r["coder"]] = con.execute(
                "INSERT INTO coders (name) VALUES (?)", (r["coder"],)).lastrowid
        out.append((docs[r["document"]], codes[r["code"]], coders[r["coder"]],
                    int(r["start"]), int(r["end"]), now, now))
con.executemany("INSERT INTO codings (document_id, code_id, coder_id, start, \"end\", "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", out)
con.commit()
print(len(out))
"""


def build_project(folder: Path) -> Path:
    """A project of generated transcripts and the twelve codes of bench_analysis.py."""
    sys.path.insert(0, str(HERE))
    from bench_analysis import seed_codebook
    from corpus_gen import write_corpus

    from qualcode.ingest import import_files
    from qualcode.store import open_project

    files = write_corpus(
        Path(tempfile.gettempdir()) / "qualcode-bench-corpus-2000", DOCUMENTS, 2000
    )
    db = folder / "base.db"
    project = open_project(db, create=True)
    seed_codebook(project)
    import_files(project, files, actor="bench")
    project.dispose()
    return db


def write_codings(db: Path, path: Path, n: int, seed: int = 7) -> int:
    """N distinct codings of sentences (document name, code path, coder, offsets) as CSV."""
    import sqlite3

    con = sqlite3.connect(db)
    docs = dict(con.execute("SELECT id, name FROM documents"))
    sentences = con.execute(
        "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
    ).fetchall()
    paths = [
        f"{parent}/{child}"
        for parent, child in con.execute(
            "SELECT p.name, c.name FROM codes c JOIN codes p ON c.parent_id = p.id"
        )
    ]
    con.close()
    rng = random.Random(seed)
    chosen: set[tuple[Any, ...]] = set()
    while len(chosen) < n:
        doc, start, end = rng.choice(sentences)
        chosen.add((docs[doc], rng.choice(paths), rng.choice(CODERS), start, end))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["document", "code", "coder", "start", "end"])
        writer.writerows(sorted(chosen))
    return n


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def count_codings(db: Path) -> int:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM codings").fetchone()[0])
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.rounds < 3:
        raise SystemExit("pair the sides over at least 3 rounds")
    runs: dict[str, list[tuple[float, float]]] = {
        "qualcode": [],
        "baseline": [],
        "qualcode_1": [],
        "baseline_1": [],
        "orm_import": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = build_project(folder)
        codings = folder / "codings.csv"
        write_codings(base, codings, args.rows)
        one = folder / "one.csv"
        one.write_text("".join(codings.read_text(encoding="utf-8").splitlines(True)[:2]))

        def command(side: str, copy: Path) -> list[str]:
            if side == "orm_import":
                return [sys.executable, "-c", "import sqlalchemy.orm"]
            path = str(one if side.endswith("_1") else codings)
            if side.startswith("qualcode"):
                return [*CLI, "import-codings", path, "--project", str(copy)]
            return [sys.executable, "-c", BASELINE, path, str(copy)]

        for i in range(args.rounds + 1):  # round 0 warms the file cache and is not kept
            order = ["qualcode", "baseline", "qualcode_1", "baseline_1", "orm_import"]
            for side in order if i % 2 == 0 else order[::-1]:
                copy = folder / f"{side}-{i}.db"
                shutil.copyfile(base, copy)
                figures = timed(command(side, copy))
                stored = 0 if side == "orm_import" else 1 if side.endswith("_1") else args.rows
                if count_codings(copy) != stored:
                    raise SystemExit(f"{side} did not store its codings")
                copy.unlink()
                if i:
                    runs[side].append(figures)
    result: dict[str, Any] = {
        "benchmark": "import-codings vs raw sqlite3 inserting the same rows, start-up included",
        "rows": args.rows,
        "documents": DOCUMENTS,
        "rounds": args.rounds,
        "target_ratio": TARGET,
    }
    sys.path.insert(0, str(HERE))
    from corpus_gen import machine

    result["machine"] = machine()
    for i, kind in enumerate(("wall", "cpu")):
        q = [r[i] for r in runs["qualcode"]]
        b = [r[i] for r in runs["baseline"]]
        ratios = [x / y for x, y in zip(q, b, strict=True)]
        result[kind] = {
            "qualcode_s": summary(q),
            "baseline_s": summary(b),
            "ratio": summary(ratios),
        }
        r = result[kind]
        print(
            f"{kind:>4}: qualcode {r['qualcode_s']['median']:.3f} s "
            f"[{r['qualcode_s']['min']:.3f}-{r['qualcode_s']['max']:.3f}], "
            f"sqlite3 {r['baseline_s']['median']:.3f} s "
            f"[{r['baseline_s']['min']:.3f}-{r['baseline_s']['max']:.3f}], "
            f"ratio {r['ratio']['median']:.2f}x [{r['ratio']['min']:.2f}-{r['ratio']['max']:.2f}]"
        )
    per_row = {}
    for side in ("qualcode", "baseline"):
        whole = [r[1] for r in runs[side]]
        start = [r[1] for r in runs[f"{side}_1"]]
        per_row[f"{side}_us"] = [
            1e6 * (w - s) / (args.rows - 1) for w, s in zip(whole, start, strict=True)
        ]
        per_row[f"{side}_startup_s"] = summary(start)
    q_us, b_us = per_row.pop("qualcode_us"), per_row.pop("baseline_us")
    result["per_row_cpu"] = {
        "qualcode_us": summary(q_us),
        "baseline_us": summary(b_us),
        "ratio_of_medians": round(statistics.median(q_us) / max(statistics.median(b_us), 1e-9), 2),
        **per_row,
    }
    orm = [r[1] for r in runs["orm_import"]]
    base_cpu = [r[1] for r in runs["baseline"]]
    result["floor_cpu"] = {
        "orm_import_s": summary(orm),
        "ratio_to_baseline": summary([x / y for x, y in zip(orm, base_cpu, strict=True)]),
    }
    fl = result["floor_cpu"]
    print(
        f"floor: python -c 'import sqlalchemy.orm' alone {fl['orm_import_s']['median']:.3f} s CPU, "
        f"{fl['ratio_to_baseline']['median']:.2f}x the whole sqlite3 run"
    )
    pr = result["per_row_cpu"]
    print(
        f"per row (CPU, start-up taken out): qualcode {pr['qualcode_us']['median']:.0f} us, "
        f"sqlite3 {pr['baseline_us']['median']:.0f} us, ratio {pr['ratio_of_medians']:.2f}x; "
        f"start-up: qualcode {pr['qualcode_startup_s']['median']:.3f} s, "
        f"sqlite3 {pr['baseline_startup_s']['median']:.3f} s"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    verdict = "within" if result["cpu"]["ratio"]["median"] <= TARGET else "OVER"
    print(f"{args.rows} rows: {verdict} {TARGET:g}x raw sqlite3 (median CPU ratio); written {OUT}")


if __name__ == "__main__":
    main()
