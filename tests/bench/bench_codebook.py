"""Codebook import time against codebook size: a .qdc of N codes, a third of them siblings of one
name, imported into a new project with ``qualcode codebook import``. Linear import shows as a
flat time per code across sizes (a quadratic step doubles it with each doubling of N).
Run: ``python tests/bench/bench_codebook.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "exports" / "bench" / "codebook.json"


def write_qdc(path: Path, n: int) -> None:
    same, parents = n // 3, max(1, (n - n // 3) // 100)
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    out.append('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="bench"><Codes>')
    out += [f'<Code guid="{uuid.UUID(int=i + 1)}" name="Same"/>' for i in range(same)]
    per = (n - same) // parents - 1
    for p in range(parents):
        out.append(f'<Code guid="{uuid.UUID(int=10**8 + p)}" name="Parent {p}">')
        out += [
            f'<Code guid="{uuid.UUID(int=10**9 + p * 10**4 + c)}" name="Child"/>'
            for c in range(per)
        ]
        out.append("</Code>")
    out.append("</Codes><Sets/></CodeBook>")
    path.write_text("\n".join(out), encoding="utf-8")


def run(n: int, folder: Path) -> dict[str, float]:
    from qualcode.cli import main

    book, db = folder / f"b{n}.qdc", folder / f"p{n}.db"
    write_qdc(book, n)
    for args in (
        ["init", "--project", str(db)],
        ["--project", str(db), "codebook", "import", str(book)],
    ):
        t0 = time.perf_counter()
        try:
            main(args)
        except SystemExit as exc:
            assert not exc.code, exc.code
        seconds = time.perf_counter() - t0
    return {"codes": n, "seconds": round(seconds, 3), "ms_per_code": round(1000 * seconds / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    sizes = [2_000, 4_000, 8_000] if parser.parse_args().quick else [10_000, 20_000, 40_000]
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(n, Path(tmp)) for n in sizes]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(f"{r['codes']:>7,} codes  {r['seconds']:7.2f} s  {r['ms_per_code']:.3f} ms/code")


if __name__ == "__main__":
    main()
