"""Benchmark: the Excel export's writer against a plain openpyxl write-only dump of the same cells.

Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_xlsx.py           # 200,000 coded segments
    .venv/bin/python tests/bench/bench_xlsx.py --quick   # 20,000
    .venv/bin/python tests/bench/bench_xlsx.py --no-project  # only the writer, not a project

The rows are seeded stand-ins for the "Coded segments" sheet (15 columns: ids, names,
attributes, code path, offsets, context, coded text of 40-400 characters, a memo on one row in
ten, and one text cell in a hundred that starts with a formula sign). "qualcode" writes them
with :func:`qualcode.interop.xlsx_sheets.write_table` (neutralised text, styled header, number
formats, fitted widths, wrapped text with row heights, frozen panes, autofilter); "plain"
appends the same raw values to a write-only worksheet. Both save a workbook to a temporary
folder; the two run in paired rounds (``paired.py``: back to back, alternating which goes
first), reported as median and range, the ratio as the median and range of per-round ratios.
It also times ``export_xlsx`` on a generated project with that many codings, every sheet,
analysis tables and agreement included (unless ``--no-project``).
Figures are printed and written to exports/bench/xlsx.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from paired import paired_rounds, ratios, spread  # noqa: E402

from qualcode.interop.tables_for_export import Table, cols  # noqa: E402
from qualcode.interop.xlsx_format import new_workbook  # noqa: E402
from qualcode.interop.xlsx_sheets import write_table  # noqa: E402

SAMPLE = (
    "the lab took eleven months to return the phone and by then the defendant had moved "
    "we carry forty open files and nobody in the office has time for the forensic review"
)
WORDS = SAMPLE.split()
COLUMNS = cols(
    "coding_id|Coding|int", "document|Document", "participant|Participant", "state|state",
    "office_type|office_type", "years_experience|years_experience|number",
    "csam_share_pct|csam_share_pct|number", "coder|Coder", "code|Code", "start|Start|int",
    "end|End|int", "before|Before", "text|Coded text|long", "after|After", "memo|Memo|long",
)  # fmt: skip
CODES = [f"Family {i // 5}/Code {i}" for i in range(40)]
DANGEROUS = ['=HYPERLINK("http://x")', "+1 agree", "-ve tone", "@SUM(A1)"]


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))
    return text[0].upper() + text[1:] + "."


def make_rows(n: int, seed: int = 1) -> list[list[Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        doc = i // 400
        text = sentence(rng, 8, 70)
        if i % 100 == 0:
            text = rng.choice(DANGEROUS) + " " + text
        start = (i % 400) * 500
        rows.append(
            [
                i + 1, f"P{doc:04d}.txt", f"P{doc:04d}", rng.choice(["Ohio", "Texas", "Utah"]),
                rng.choice(["county", "state", "federal"]), float(rng.randint(1, 30)),
                float(rng.randint(0, 100)), rng.choice(["ana", "ben"]), rng.choice(CODES),
                start, start + len(text), "… " + sentence(rng, 6, 12), text,
                sentence(rng, 6, 12) + " …", sentence(rng, 3, 12) if i % 10 == 0 else None,
            ]
        )  # fmt: skip
    return rows


def qualcode_write(rows: list[list[Any]], path: Path) -> None:
    wb = new_workbook()
    write_table(wb, Table("coded_segments", "Coded segments", COLUMNS, rows, 3))
    wb.save(path)


def plain_write(rows: list[list[Any]], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Coded segments")
    ws.append([c.label for c in COLUMNS])
    for row in rows:
        ws.append(row)
    wb.save(path)


def clock(func: Callable[[], None]) -> Callable[[], float]:
    def go() -> float:
        gc.collect()
        start = time.perf_counter()
        func()
        return time.perf_counter() - start

    return go


def project_export(n: int, folder: Path) -> dict[str, Any]:
    """Generate a project with ``n`` codings (two coders) and time the whole export."""
    from sqlalchemy import insert

    from qualcode.interop.xlsx_workbook import export_xlsx
    from qualcode.store import open_project
    from qualcode.store.models import Code, Coder, Coding, Document, DocumentText, Participant

    rng = random.Random(2)
    project = open_project(folder / "bench.db", create=True)
    docs = max(1, n // 2000)
    with project.write() as s:
        s.execute(insert(Participant), [{"id": d + 1, "label": f"P{d:03d}"} for d in range(docs)])
        texts = [" ".join(sentence(rng, 10, 30) for _ in range(1500)) for _ in range(docs)]
        s.execute(
            insert(Document),
            [
                {"id": d + 1, "name": f"P{d:03d}.txt", "length": len(t), "sha256": f"{d:064x}",
                 "source_name": "x", "source_format": "txt", "participant_id": d + 1}
                for d, t in enumerate(texts)
            ],
        )  # fmt: skip
        s.execute(
            insert(DocumentText), [{"document_id": d + 1, "text": t} for d, t in enumerate(texts)]
        )
        s.execute(insert(Coder), [{"id": 1, "name": "ana"}, {"id": 2, "name": "ben"}])
        s.execute(
            insert(Code),
            [{"id": i + 1, "name": f"Code {i}", "guid": f"g{i}", "position": i} for i in range(40)],
        )
        rows = []
        for i in range(n):
            d = rng.randrange(docs)
            start = rng.randrange(len(texts[d]) - 500)
            rows.append(
                {"document_id": d + 1, "code_id": rng.randint(1, 40), "coder_id": 1 + i % 2,
                 "start": start, "end": start + rng.randint(20, 400)}
            )  # fmt: skip
        s.execute(insert(Coding).prefix_with("OR IGNORE"), rows)
    began = time.perf_counter()
    result = export_xlsx(project, folder / "project.xlsx")
    seconds = time.perf_counter() - began
    project.dispose()
    return {"codings": n, "documents": docs, "seconds": round(seconds, 2), "sheets": result.sheets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows instead of 200,000")
    parser.add_argument("--repeats", type=int, default=3, help="paired rounds (>= 3)")
    parser.add_argument(
        "--no-project", action="store_true", help="do not time a whole-project export"
    )
    args = parser.parse_args()
    n = 20_000 if args.quick else 200_000
    rows = make_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = paired_rounds(
            {
                "plain": clock(lambda: plain_write(rows, folder / "plain.xlsx")),
                "qualcode": clock(lambda: qualcode_write(rows, folder / "qualcode.xlsx")),
            },
            args.repeats,
        )
        sizes = {p.stem: p.stat().st_size for p in folder.glob("*.xlsx")}
        whole = None if args.no_project else project_export(n, folder)
    result = {
        "rows": n,
        "columns": len(COLUMNS),
        "rounds": args.repeats,
        "plain_seconds": spread(runs["plain"], 3),
        "qualcode_seconds": spread(runs["qualcode"], 3),
        "ratio": spread(ratios(runs["qualcode"], runs["plain"]), 3),
        "target_ratio": 1.5,
        "plain_bytes": sizes["plain"],
        "qualcode_bytes": sizes["qualcode"],
        "project_export": whole,
        "openpyxl": openpyxl.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "exports" / "bench" / "xlsx.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
