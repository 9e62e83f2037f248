"""Benchmark: frequencies, matrices, co-occurrence and agreement over 3 coders, next to baselines
measured in the same run. Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_analysis.py           # 250, 500, 1,000 documents
    .venv/bin/python tests/bench/bench_analysis.py --quick   # 25, 50, 100 short documents

The generated corpus (``corpus_gen``, deterministic, never committed) is imported in steps, so
each size is measured on the same growing project. Every document gets a participant with a
state (16 states), and three coders code seeded sentences with twelve codes in three families:
the second and third coder agree with the first most of the time, as coders do.

Baselines, each on the same data:

* frequencies and the code-by-state matrix: one raw ``sqlite3`` GROUP BY query per table (the
  counts without qualcode's roll-ups, words coded or empty cells);
* agreement at sentence level: the ``krippendorff`` package's nominal alpha of every code's
  reliability matrix (coders x sentences), built by qualcode (building it is not timed);
  qualcode's figure is the whole report (reading the project, units, percent agreement,
  Fleiss' kappa, alpha, and a bootstrap interval for alpha, 1,000 samples per code).

Each figure is taken over paired rounds (``paired.py``; ``--rounds``, at least 3): qualcode and
its baseline back to back, alternating which goes first; the median and range are reported,
and the ratio is the median (and range) of the per-round ratios.

Figures are printed and written to exports/bench/analysis.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "exports" / "bench" / "analysis.json"
sys.path.insert(0, str(HERE))

from corpus_gen import machine, write_corpus  # noqa: E402
from paired import fmt, paired_rounds, ratios, spread  # noqa: E402

from qualcode.agreement.project_report import agreement_report, load_coding_data  # noqa: E402
from qualcode.agreement.units import build_variable  # noqa: E402
from qualcode.analysis import tables  # noqa: E402
from qualcode.ingest import import_files  # noqa: E402
from qualcode.store import open_project  # noqa: E402
from qualcode.store.db import Project  # noqa: E402
from qualcode.store.models import (  # noqa: E402
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
    Segment,
)

STATES = [
    "Ohio", "Texas", "California", "Florida", "Georgia", "Pennsylvania", "Michigan", "Arizona",
    "Washington", "Virginia", "Colorado", "Minnesota", "New York", "Illinois", "Tennessee",
    "Missouri",
]  # fmt: skip
FAMILIES = {
    "Caseload": ["Volume", "Competing priorities", "Rising tips"],
    "Digital evidence": ["Lab backlog", "Extraction", "Cloud data"],
    "Triage": ["Plea bargaining", "Dismissal", "Charging"],
}
CODERS = ("c1", "c2", "c3")
PER_DOCUMENT = 15  # sentences the first coder codes in each document


def seed_codebook(project: Project) -> list[int]:
    """The twelve codes (three families and their children); returns the child code ids."""
    children = []
    with project.write() as s:
        for position, (family, kids) in enumerate(FAMILIES.items()):
            parent = Code(name=family, guid=f"bench-{family}", position=position)
            s.add(parent)
            s.flush()
            for i, name in enumerate(kids):
                child = Code(name=name, guid=f"bench-{name}", parent_id=parent.id, position=i)
                s.add(child)
                s.flush()
                children.append(child.id)
        s.add_all([Coder(name=name) for name in CODERS])
        s.add(Attribute(name="state", kind="text"))
    return children


def code_new_documents(project: Project, codes: list[int], seed: int) -> int:
    """Participants, states and the three coders' codings of documents that have none yet."""
    rng = random.Random(seed)
    added = 0
    with project.write() as s:
        coder_ids = [s.scalars(select(Coder.id).where(Coder.name == n)).one() for n in CODERS]
        state_id = s.scalars(select(Attribute.id).where(Attribute.name == "state")).one()
        docs = s.scalars(select(Document).where(Document.participant_id.is_(None))).all()
        for doc in docs:
            person = Participant(label=f"B{doc.id:05d}")
            s.add(person)
            s.flush()
            doc.participant_id = person.id
            s.add(
                AttributeValue(
                    participant_id=person.id,
                    attribute_id=state_id,
                    text_value=STATES[doc.id % len(STATES)],
                )
            )
            sentences = s.execute(
                select(Segment.start, Segment.end).where(
                    Segment.document_id == doc.id, Segment.kind == "sentence"
                )
            ).all()
            rows: list[dict[str, Any]] = []
            for start, end in rng.sample(sentences, min(PER_DOCUMENT, len(sentences))):
                code = rng.choice(codes)
                rows.append(dict(coder_id=coder_ids[0], code_id=code, start=start, end=end))
                for coder in coder_ids[1:]:
                    roll = rng.random()
                    if roll < 0.75:  # the same passage and code
                        rows.append(dict(coder_id=coder, code_id=code, start=start, end=end))
                    elif roll < 0.85:  # the same passage, another code
                        other = rng.choice(codes)
                        rows.append(dict(coder_id=coder, code_id=other, start=start, end=end))
                    # else: missed
            extra_start, extra_end = rng.choice(sentences)  # a passage only the last coder saw
            rows.append(
                dict(coder_id=coder_ids[2], code_id=rng.choice(codes), start=extra_start,
                     end=extra_end)
            )  # fmt: skip
            unique = {(r["coder_id"], r["code_id"], r["start"], r["end"]): r for r in rows}
            rows = [dict(r, document_id=doc.id) for r in unique.values()]
            s.execute(insert(Coding), rows)
            added += len(rows)
    return added


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = func()
    return time.perf_counter() - t0, value


def sqlite_path(project: Project) -> str:
    assert project.path is not None
    return str(project.path)


def baseline_frequencies(db: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT c.code_id, count(*), count(DISTINCT c.document_id), "
            "count(DISTINCT d.participant_id) FROM codings c "
            "JOIN documents d ON d.id = c.document_id GROUP BY c.code_id"
        ).fetchall()
    finally:
        con.close()


def baseline_matrix(db: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT c.code_id, v.text_value, count(*) FROM codings c "
            "JOIN documents d ON d.id = c.document_id "
            "JOIN attribute_values v ON v.participant_id = d.participant_id "
            "JOIN attributes a ON a.id = v.attribute_id AND a.name = 'state' "
            "GROUP BY c.code_id, v.text_value"
        ).fetchall()
    finally:
        con.close()


def baseline_alpha(project: Project) -> tuple[float, int]:
    """Seconds the krippendorff package takes over every code's matrix, and the units."""
    import krippendorff

    data = load_coding_data(project, unit="sentence")
    matrices = []
    for code in data.codes:
        variable = build_variable(data, code, "sentence")
        values = variable.values.astype(float)
        values[values < 0] = np.nan
        matrices.append(values)
    t0 = time.perf_counter()
    for values in matrices:
        if np.nanmax(values) != np.nanmin(values):
            krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
    return time.perf_counter() - t0, int(matrices[0].shape[1]) if matrices else 0


def measure(project: Project, documents: int, codings: int, rounds: int) -> dict[str, Any]:
    """Each figure over ``rounds`` paired rounds (qualcode and its baseline back to back, in
    alternating order): median and range, and the median and range of the per-round ratios."""
    db = sqlite_path(project)
    row: dict[str, Any] = {"documents": documents, "codings": codings, "rounds": rounds}
    last: dict[str, Any] = {}

    def frequencies() -> Any:
        with project.session() as s:
            return tables.frequency_table(s)

    def matrix() -> Any:
        with project.session() as s:
            return tables.matrix_table(s, cols="state")

    def cooccurrence() -> Any:
        with project.session() as s:
            return tables.cooccurrence_table(s, unit="sentence")

    def agreement() -> Any:
        last["report"] = agreement_report(project, unit="sentence", n_boot=1000)

    def alpha_alone() -> float:
        seconds, last["sentences"] = baseline_alpha(project)
        return seconds

    def clock(func: Callable[[], Any]) -> Callable[[], float]:
        return lambda: timed(func)[0]

    pairs: dict[str, tuple[Callable[[], float], Callable[[], float]]] = {
        "frequencies": (clock(frequencies), clock(lambda: baseline_frequencies(db))),
        "matrix": (clock(matrix), clock(lambda: baseline_matrix(db))),
        "agreement": (clock(agreement), alpha_alone),
    }
    for key, (ours, base) in pairs.items():
        runs = paired_rounds({"ours": ours, "baseline": base}, rounds)
        row[f"{key}_s"] = spread(runs["ours"])
        row[f"{key}_baseline_s"] = spread(runs["baseline"])
        row[f"{key}_ratio"] = spread(ratios(runs["ours"], runs["baseline"]), 3)
    row["cooccurrence_s"] = spread([clock(cooccurrence)() for _ in range(rounds)])
    row["sentences"] = last["sentences"]
    row["overall_alpha"] = last["report"]["overall"].get("krippendorff_alpha")
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds (>= 3)")
    args = parser.parse_args()
    sizes = [25, 50, 100] if args.quick else [250, 500, 1000]
    words = 2000 if args.quick else 8000
    corpus = Path(tempfile.gettempdir()) / f"qualcode-bench-corpus-{words}"
    files = write_corpus(corpus, max(sizes), words)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        project = open_project(Path(tmp) / "analysis.db", create=True)
        codes = seed_codebook(project)
        done, codings = 0, 0
        for n in sizes:
            import_files(project, list(files[done:n]), actor="bench")
            codings += code_new_documents(project, codes, seed=n)
            done = n
            row = measure(project, n, codings, args.rounds)
            rows.append(row)
            print(
                f"{n:>5} docs, {codings:,} codings, {row['sentences']:,} sentences: "
                f"frequencies {fmt(row['frequencies_s'])} "
                f"({row['frequencies_ratio']['median']:.1f}x raw SQL), "
                f"matrix {fmt(row['matrix_s'])} ({row['matrix_ratio']['median']:.1f}x), "
                f"co-occurrence {fmt(row['cooccurrence_s'])}, "
                f"agreement {fmt(row['agreement_s'])} "
                f"({row['agreement_ratio']['median']:.2f}x the krippendorff package's alpha "
                "alone; medians of paired rounds)",
                flush=True,
            )
        project.dispose()
    result = {
        "benchmark": "analysis",
        "machine": machine(),
        "coders": len(CODERS),
        "words_per_document": words,
        "rows": rows,
        "rounds": args.rounds,
        "agreement_under_10_s": all(r["agreement_s"]["median"] < 10 for r in rows),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
