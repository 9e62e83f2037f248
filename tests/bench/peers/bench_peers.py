"""qualcode next to its peers, qc and Taguette, on one generated corpus. Not a test.

Run ``make bench-peers`` (it installs qc and Taguette into venvs of their own under
``exports/bench/peers/`` first), or, with those venvs in place::

    .venv/bin/python tests/bench/peers/bench_peers.py

Sizes come from the environment: ``QUALCODE_BENCH_PEERS_N`` documents (default 1,000) of
``QUALCODE_BENCH_PEERS_WORDS`` words (default 1,000), ``QUALCODE_BENCH_PEERS_ROUNDS`` paired
rounds (default 3). qc's and Taguette's coded projects are kept in ``exports/bench/peers/`` and
used again by the next run on the same corpus (checked again; giving Taguette its highlights
takes minutes); ``QUALCODE_BENCH_PEERS_FRESH=1`` makes them anew.

The corpus (``corpus_gen``, seeded) is written once as plain text for qualcode and qc and as
HTML for Taguette (one ``<p>`` per non-empty line: the same text; HTML is the one text format
Taguette reads without calibre). One coder codes whole turns (a turn is a line of the
transcript, qc's unit): three turns per document under twelve codes, a third of them with a
second code. Each tool gets those codings its own way, not timed: qualcode by
``qualcode import-codings`` (character offsets of the turn), qc by the function its coding
session ends in (``drive_qc.py``: 0-based line numbers), Taguette by its highlight API
(``drive_taguette.py``: offsets into the document's text). The counts each tool then reports
are checked against the plan before anything is timed.

Taguette's Excel and CSV exports hold every highlight (document, tag, highlighted text);
qualcode's are timed whole (every sheet) and, like for like, with ``--only coded_segments``.

Each operation runs through the tool's own public face: qualcode's and qc's command lines (a
fresh process per operation, start-up included, as a user runs them), Taguette's HTTP API on a
server started once (a request to a running server, as its web page makes it). The tools
alternate within each round (``paired.py``), the order rotating; per operation the figures are
the median and range over the rounds, and the ratio qualcode / peer is taken within each round
(< 1 means qualcode is faster). Printed as a table and written to exports/bench/peers.json.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parents[1]
PEERS = ROOT / "exports" / "bench" / "peers"
OUT = ROOT / "exports" / "bench" / "peers.json"
sys.path.insert(0, str(BENCH))

from corpus_gen import machine, transcript  # noqa: E402
from paired import fmt, paired_rounds, ratios, spread  # noqa: E402

N = int(os.environ.get("QUALCODE_BENCH_PEERS_N", "1000"))
WORDS = int(os.environ.get("QUALCODE_BENCH_PEERS_WORDS", "1000"))
ROUNDS = int(os.environ.get("QUALCODE_BENCH_PEERS_ROUNDS", "3"))
CODES = [
    "backlog", "caseload", "cloud", "discovery", "encryption", "extraction", "plea", "staffing",
    "training", "triage", "trial", "warrants",
]  # fmt: skip
CODER = "bench"
RETRIEVED = "backlog"
IN_PROCESS = "qualcode in-process"
#: the codebook with each code's number of codings: what Taguette's codebook CSV holds (the
#: "count codes" row is qualcode's frequencies: codings, documents, participants, words)
PER_CODE = "codings per code"
#: operations long enough that a warm-up run would only add minutes
LONG = {"import", "Excel export", "CSV export"}
#: the like-for-like exports: qualcode's coded segments alone, as Taguette's highlights
SEGMENTS_XLSX, SEGMENTS_CSV = "Excel export, coded segments", "CSV export, coded segments"
SEGMENTS_ONLY = ("--only", "coded_segments")
QUALCODE = Path(sys.executable).with_name("qualcode")
QC_BIN = PEERS / "qc" / "bin"
TAGUETTE_BIN = PEERS / "taguette" / "bin"


# --- the corpus and the codings, one plan for the three tools ---------------------------------


def write_corpus(folder: Path) -> tuple[Path, Path, list[tuple[str, int, str]]]:
    """Text and HTML files of the corpus, and the codings: (document stem, line, code)."""
    txt, htm = folder / "txt", folder / "html"
    txt.mkdir(parents=True, exist_ok=True)
    htm.mkdir(parents=True, exist_ok=True)
    rng = random.Random(15)
    plan = []
    for i in range(N):
        stem = f"T{i:04d}"
        text = transcript(i, WORDS)
        if not (txt / f"{stem}.txt").exists():
            (txt / f"{stem}.txt").write_text(text, encoding="utf-8")
            paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line)
            (htm / f"{stem}.html").write_text(
                f"<html><body>{paragraphs}</body></html>", encoding="utf-8"
            )
        turns = [n for n, line in enumerate(text.split("\n")) if ": " in line]
        for line in rng.sample(turns, min(3, len(turns))):
            codes = rng.sample(CODES, 2 if rng.random() < 1 / 3 else 1)
            plan.extend((stem, line, code) for code in codes)
    return txt, htm, plan


def line_spans(text: str) -> list[tuple[int, int]]:
    """Each line's (start, end) character offsets in ``text``."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def html_spans(text: str) -> list[tuple[int, int] | None]:
    """Each line's offsets in the HTML's text (non-empty lines, concatenated); None if empty."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)) if line else None)
        pos += len(line)
    return spans


# --- running things ----------------------------------------------------------------------------


def run(cmd: list[str | Path], cwd: Path, out: Path | None = None) -> float:
    """Seconds from spawning ``cmd`` to its exit (stdout to ``out``); fails loudly."""
    sink: IO[bytes] | int = open(out, "wb") if out else subprocess.DEVNULL  # noqa: SIM115
    try:
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(c) for c in cmd], cwd=cwd, stdout=sink, stderr=subprocess.PIPE, check=False
        )
        seconds = time.perf_counter() - t0
    finally:
        if out:
            assert not isinstance(sink, int)
            sink.close()
    if done.returncode:
        err = done.stderr.decode(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{err}")
    return seconds


def version(python: Path, dist: str) -> str:
    return subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({dist!r}))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


class Qualcode:
    name = "qualcode"

    def __init__(self, work: Path) -> None:
        self.work = work / "qualcode"
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.db = self.work / "project.db"
        self.scratch = 0

    def cli(self, *args: str | Path, db: Path | None = None, out: Path | None = None) -> float:
        return run([QUALCODE, "--project", db or self.db, *args], self.work, out)

    def setup(self, txt: Path, plan: list[tuple[str, int, str]]) -> float:
        """Import and code; returns the seconds the coding took."""
        self.cli("init")
        self.cli("import", txt)
        book = "codes:\n" + "".join(f"- name: {code}\n" for code in CODES)
        (self.work / "codebook.in.yaml").write_text(book, encoding="utf-8")
        self.cli("codebook", "import", self.work / "codebook.in.yaml")
        rows = ["document,coder,code,start,end"]
        spans = {}
        for stem, line, code in plan:
            if stem not in spans:
                spans[stem] = line_spans((txt / f"{stem}.txt").read_text(encoding="utf-8"))
            start, end = spans[stem][line]
            rows.append(f"{stem},{CODER},{code},{start},{end}")
        (self.work / "codings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        return self.cli("import-codings", self.work / "codings.csv")

    def counts(self) -> dict[str, int]:
        self.cli("frequencies", "--json", out=self.work / "counts.json")
        rows = json.loads((self.work / "counts.json").read_text())["rows"]
        return {r["code"]: r["codings"] for r in rows if r["codings"]}

    def import_fresh(self, txt: Path) -> float:
        self.scratch += 1
        db = self.work / f"scratch{self.scratch}.db"
        self.cli("init", db=db)
        seconds = self.cli("import", txt, db=db)
        db.unlink()
        return seconds

    def ops(self, txt: Path) -> dict[str, Callable[[], float]]:
        w = self.work
        return {
            "start-up": lambda: run([QUALCODE, "--version"], w),
            "import": lambda: self.import_fresh(txt),
            "count codes": lambda: self.cli("frequencies", out=w / "count.out"),
            PER_CODE: lambda: self.cli("codebook", "show", "--json", out=w / "per-code.out"),
            "retrieve one code": lambda: self.cli("retrieve", RETRIEVED, out=w / "find.out"),
            "codebook (YAML)": lambda: self.cli("codebook", "export", w / "codebook.yaml"),
            "codebook (REFI .qdc)": lambda: self.cli("export", "qdc", w / "codebook.qdc"),
            "Excel export": lambda: self.cli("export", "xlsx", w / "all.xlsx"),
            "CSV export": lambda: self.cli("export", "csv", w / "csv"),
            SEGMENTS_XLSX: lambda: self.cli("export", "xlsx", w / "seg.xlsx", *SEGMENTS_ONLY),
            SEGMENTS_CSV: lambda: self.cli("export", "csv", w / "seg-csv", *SEGMENTS_ONLY),
            "co-occurrence": lambda: self.cli("cooccurrence", "--unit", "turn", out=w / "co.out"),
            "project (REFI .qdpx)": lambda: self.cli("export", "qdpx", w / "all.qdpx"),
        }

    def in_process(self, txt: Path) -> dict[str, Callable[[], float]]:
        """The same work through qualcode's Python functions (the ones its commands call) in
        this one long-lived process: the fair match for a request to Taguette's running
        server, which does not start Python, import its libraries or open its database."""
        from qualcode.analysis import tables
        from qualcode.codebook import codebook_from_project
        from qualcode.coding.code_entries import code_counts
        from qualcode.coding.codes import code_paths
        from qualcode.coding.retrieval import retrieve
        from qualcode.ingest import import_files
        from qualcode.interop.csv_export import export_csv
        from qualcode.interop.refi.qdc import export_qdc
        from qualcode.interop.retrieval_export import save_retrieved
        from qualcode.interop.tables_for_export import ExportFilters
        from qualcode.interop.xlsx_workbook import export_xlsx
        from qualcode.nlp.sentences import sentence_nlp
        from qualcode.store import open_project

        project = open_project(self.db)
        files = sorted(txt.glob("*.txt"))
        sentence_nlp()  # spaCy loaded once, as a server would have it
        w = self.work

        def timed(func: Callable[[], object]) -> Callable[[], float]:
            def go() -> float:
                t0 = time.perf_counter()
                func()
                return time.perf_counter() - t0

            return go

        def fresh_import() -> float:
            self.scratch += 1
            db = w / f"scratch{self.scratch}.db"
            fresh = open_project(db, create=True)
            t0 = time.perf_counter()
            import_files(fresh, list(files), actor=CODER)
            seconds = time.perf_counter() - t0
            fresh.dispose()
            db.unlink()
            return seconds

        segments = ExportFilters(tables=(SEGMENTS_ONLY[1],))

        def count() -> None:
            with project.session() as s:
                tables.frequency_table(s)

        def per_code() -> None:  # what `codebook show` reads
            with project.session() as s:
                codebook_from_project(s), code_paths(s), code_counts(s)

        def find() -> None:
            with project.session() as s:
                rows = retrieve(s, codes=[RETRIEVED])
            save_retrieved(rows, w / "find.csv")

        return {
            "import": fresh_import,
            "count codes": timed(count),
            PER_CODE: timed(per_code),
            "retrieve one code": timed(find),
            "codebook (REFI .qdc)": timed(lambda: export_qdc(project, w / "in.qdc")),
            "Excel export": timed(lambda: export_xlsx(project, w / "in.xlsx")),
            "CSV export": timed(lambda: export_csv(project, w / "in-csv")),
            SEGMENTS_XLSX: timed(lambda: export_xlsx(project, w / "in-seg.xlsx", segments)),
            SEGMENTS_CSV: timed(lambda: export_csv(project, w / "in-seg-csv", segments)),
        }

    def close(self) -> None:
        pass


class Qc:
    name = "qc"

    def __init__(self, work: Path, reuse: bool) -> None:
        self.work = work / "qc"
        self.project = self.work / "project"
        if not reuse:
            shutil.rmtree(self.work, ignore_errors=True)
            self.project.mkdir(parents=True)
        self.scratch = 0

    def qc(self, *args: str | Path, cwd: Path | None = None, out: Path | None = None) -> float:
        return run([QC_BIN / "qc", *args], cwd or self.project, out)

    def setup(self, txt: Path, plan: list[tuple[str, int, str]]) -> float:
        self.qc("init")
        self.qc("corpus", "import", "--recursive", "--importer", "verbatim", txt)
        codings = [[f"{stem}.txt", line, code] for stem, line, code in plan]
        (self.work / "plan.json").write_text(json.dumps({"coder": CODER, "codings": codings}))
        return run(
            [QC_BIN / "python", HERE / "drive_qc.py", "settings.yaml", self.work / "plan.json"],
            self.project,
        )

    def counts(self) -> dict[str, int]:
        self.qc("codes", "stats", "--format", "tsv", out=self.work / "counts.tsv")
        lines = (self.work / "counts.tsv").read_text().splitlines()[1:]
        return {code.strip(): int(n) for code, n in (row.split("\t")[:2] for row in lines)}

    def import_fresh(self, txt: Path) -> float:
        self.scratch += 1
        folder = self.work / f"scratch{self.scratch}"
        folder.mkdir()
        self.qc("init", cwd=folder)
        seconds = self.qc("corpus", "import", "-r", "-i", "verbatim", txt, cwd=folder)
        shutil.rmtree(folder)
        return seconds

    def ops(self, txt: Path) -> dict[str, Callable[[], float]]:
        w = self.work
        return {
            "start-up": lambda: self.qc("version"),
            "import": lambda: self.import_fresh(txt),
            "count codes": lambda: self.qc("codes", "stats", out=w / "count.out"),
            PER_CODE: lambda: self.qc("codes", "stats", out=w / "per-code.out"),
            "retrieve one code": lambda: self.qc("codes", "find", RETRIEVED, out=w / "find.out"),
            "codebook (YAML)": lambda: self.qc("codebook"),
            "co-occurrence": lambda: self.qc("codes", "crosstab", out=w / "co.out"),
            "project (REFI .qdpx)": lambda: self.qc("export", w / "all.qdpx"),
        }

    def close(self) -> None:
        pass


class Taguette:
    name = "Taguette"

    def __init__(self, work: Path, reuse: bool) -> None:
        self.work = work / "taguette"
        self.project = 0
        if not reuse:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work.mkdir(parents=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.driver = subprocess.Popen(
            [str(TAGUETTE_BIN / "python"), str(HERE / "drive_taguette.py"),
             str(self.work / "taguette.sqlite3"), str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.driver.stdin and self.driver.stdout
        self.driver.stdin.write(json.dumps(cmd) + "\n")
        self.driver.stdin.flush()
        line = self.driver.stdout.readline()
        if not line:
            raise SystemExit(f"the Taguette driver stopped during {cmd}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def setup(self, htm: Path, txt: Path, plan: list[tuple[str, int, str]]) -> float:
        spans: dict[str, list[tuple[int, int] | None]] = {}
        codings = []
        for stem, line, code in plan:
            if stem not in spans:
                spans[stem] = html_spans((txt / f"{stem}.txt").read_text(encoding="utf-8"))
            span = spans[stem][line]
            assert span is not None
            codings.append([stem, span[0], span[1], code])
        (self.work / "plan.json").write_text(json.dumps({"codes": CODES, "codings": codings}))
        done = self.ask(op="setup", dir=str(htm), plan=str(self.work / "plan.json"))
        self.project = int(done["project"])
        return float(done["coding"])

    def use(self, project: int) -> None:
        """Work on a project set up by an earlier run."""
        self.project = project
        self.ask(op="use", project=project)

    def counts(self) -> dict[str, int]:
        self.ask(op="count", save=str(self.work / "counts.csv"))
        rows = (self.work / "counts.csv").read_text().splitlines()[1:]
        return {r.split(",")[0]: int(r.split(",")[2]) for r in rows if r.split(",")[2] != "0"}

    def ops(self, htm: Path) -> dict[str, Callable[[], float]]:
        def op(name: str, **kw: Any) -> Callable[[], float]:
            return lambda: float(self.ask(op=name, **kw)["seconds"])

        return {
            "import": op("import", dir=str(htm)),
            "count codes": op("count"),
            PER_CODE: op("count"),
            "retrieve one code": op("retrieve", code=RETRIEVED),
            "codebook (REFI .qdc)": op("codebook"),
            "Excel export": op("xlsx"),
            "CSV export": op("csv"),
            # Taguette's one export: every highlight (document, tag, text); against it, both
            # qualcode's whole workbook and its coded segments alone
            SEGMENTS_XLSX: op("xlsx"),
            SEGMENTS_CSV: op("csv"),
        }

    def close(self) -> None:
        """Stop the driver, which stops its server (it also does when its input closes)."""
        if self.driver.poll() is not None:
            return
        assert self.driver.stdin
        try:
            self.driver.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.driver.stdin.close()
            self.driver.wait(timeout=60)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.driver.kill()


# --- the run -----------------------------------------------------------------------------------


def main() -> None:
    for binary in (QC_BIN / "qc", TAGUETTE_BIN / "taguette"):
        if not binary.exists():
            raise SystemExit(f"{binary} is missing: run `make bench-peers`")
    began = time.perf_counter()
    corpus = PEERS / f"corpus-{N}x{WORDS}"
    txt, htm, plan = write_corpus(corpus)
    expected = dict(Counter(code for _, _, code in plan))
    print(f"corpus: {N} documents of {WORDS} words, {len(plan)} codings of {len(CODES)} codes")
    work = PEERS / f"work-{N}x{WORDS}"
    # qc's and Taguette's projects do not change with qualcode: an earlier run's, made from the
    # same corpus and codings, is used again (and checked) unless QUALCODE_BENCH_PEERS_FRESH=1
    ready_file = work / "peers-ready.json"
    key = hashlib.sha256(json.dumps(plan).encode()).hexdigest()
    ready = json.loads(ready_file.read_text()) if ready_file.exists() else {}
    reuse = ready.get("key") == key and os.environ.get("QUALCODE_BENCH_PEERS_FRESH") != "1"
    ready_file.unlink(missing_ok=True)
    ours, qc, tag = Qualcode(work), Qc(work, reuse), Taguette(work, reuse)
    coding: dict[str, float] = {}
    try:
        for tool, setup in (
            (ours, lambda: ours.setup(txt, plan)),
            (qc, lambda: qc.setup(txt, plan)),
            (tag, lambda: tag.setup(htm, txt, plan)),
        ):
            t0 = time.perf_counter()
            if reuse and tool is not ours:
                coding[tool.name] = ready[tool.name]
                if tool is tag:
                    tag.use(ready["taguette_project"])
            else:
                coding[tool.name] = round(setup(), 2)
            got = tool.counts()
            if got != expected:
                raise SystemExit(f"{tool.name} holds other codings: {got} != {expected}")
            made = (
                "the project of an earlier run, same corpus and codings"
                if reuse and tool is not ours
                else f"imported and coded in {time.perf_counter() - t0:.1f} s"
            )
            print(f"{tool.name}: {made}; coding took {coding[tool.name]:.1f} s (checked)")
        ready = {"key": key, "taguette_project": tag.project, **coding}
        ready_file.write_text(json.dumps(ready), encoding="utf-8")
        ops = {
            "qualcode": ours.ops(txt),
            "qc": qc.ops(txt),
            IN_PROCESS: ours.in_process(txt),
            "Taguette": tag.ops(htm),
        }
        results: dict[str, dict[str, Any]] = {}
        for op in ops["qualcode"]:
            sides = {name: table[op] for name, table in ops.items() if op in table}
            if op not in LONG:  # warm the file cache and the server; not counted
                for side in sides.values():
                    side()
            times = paired_rounds(sides, ROUNDS)
            row: dict[str, Any] = {name: spread(ts, 4) for name, ts in times.items()}
            for ours_side, peer in (("qualcode", "qc"), (IN_PROCESS, "Taguette")):
                if peer in times:
                    row[f"ratio_vs_{peer}"] = spread(ratios(times[ours_side], times[peer]), 3)
            if "Taguette" in times:  # for the record: a fresh command against a warm server
                row["ratio_cli_vs_Taguette"] = spread(
                    ratios(times["qualcode"], times["Taguette"]), 3
                )
            results[op] = row
            print(f"  {op}: " + ", ".join(f"{n} {human(row[n])}" for n in times), flush=True)
    finally:
        tag.close()
    report = {
        "benchmark": "qualcode vs qc and Taguette on one corpus",
        "machine": machine(),
        "versions": {
            "qualcode": metadata.version("qualcode"),
            "qc (qualitative-coding)": version(QC_BIN / "python", "qualitative-coding"),
            "Taguette": version(TAGUETTE_BIN / "python", "taguette"),
        },
        "corpus": {
            "documents": N,
            "words_per_document": WORDS,
            "codings": len(plan),
            "codes": len(CODES),
            "coders": 1,
        },
        "rounds": ROUNDS,
        "ratio": (
            "qualcode seconds / peer seconds, per round (< 1: qualcode faster): against qc, "
            "qualcode's command against qc's; against Taguette (a running server), qualcode's "
            "functions in a running process against Taguette's HTTP API"
        ),
        "operations": results,
        "coding_once_s": {
            "what": "giving the tool the codings, its own way, once (not paired): qualcode "
            "import-codings, qc's update_coded_lines per document, Taguette's highlight API",
            **coding,
        },
        "seconds_total": round(time.perf_counter() - began, 1),
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print(f"\n{report['versions']}\n{report['machine']}; written {OUT.relative_to(ROOT)}")


def human(s: dict[str, float]) -> str:
    """Median (range), in ms under a second."""
    return fmt(s, "ms", 1000, 0) if s["max"] < 1 else fmt(s)


def table(results: dict[str, dict[str, Any]]) -> str:
    """The Markdown table of the README: times as median (range), ratios as median (range)."""

    def cell(row: dict[str, Any], key: str, ratio: bool = False) -> str:
        if key not in row:
            return "—"
        s = row[key]
        if ratio:
            return f"{s['median']:.2f}× ({s['min']:.2f}-{s['max']:.2f})"
        return human(s)

    lines = [
        "| operation | qualcode command | qc command | qualcode / qc | qualcode in-process "
        "| Taguette server | qualcode / Taguette |",
        "|---|---|---|---|---|---|---|",
    ]
    for op, row in results.items():
        lines.append(
            f"| {op} | {cell(row, 'qualcode')} | {cell(row, 'qc')} "
            f"| {cell(row, 'ratio_vs_qc', True)} | {cell(row, IN_PROCESS)} "
            f"| {cell(row, 'Taguette')} | {cell(row, 'ratio_vs_Taguette', True)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
