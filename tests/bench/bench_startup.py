"""Benchmark: how long a command line takes to start, next to importing SQLAlchemy's ORM.

Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_startup.py              # 15 rounds
    .venv/bin/python tests/bench/bench_startup.py --rounds 5

A small project is built once (three transcripts, a codebook and some codings; nothing is
downloaded). Then, paired in each round and in alternating order, each of these runs in a
fresh process:

* ``qualcode --project P documents --json`` (the console script's own Python, ``-m``-free:
  ``python -c "from qualcode.cli import main; main()" ...``);
* the baseline ``python -c "import sqlalchemy.orm"``, which any command that reads a project
  pays.

Each run's wall time (from spawning to exit) and CPU time (user + system of the child) are
recorded. The figures are the median and range over the rounds, and the median of the
per-round ratios; the target is a ratio of at most 2.5. Also printed: what the command
imports that is slow, from ``python -X importtime`` (the ten costliest top-level imports).

Figures are printed and written to exports/bench/startup.json.

``--commands`` measures instead the command lines users run most (``frequencies``, ``retrieve
CODE``, ``cooccurrence --unit turn``, ``import-codings FILE``, ``codebook export``, ``export
qdc``, ``export qdpx``, ``documents --json``, ``--version``), each in a fresh process and paired
in each round with the same baseline; ``--before TREE`` adds each command as run from another
source tree (say ``git worktree add /tmp/before main``: its ``qualcode`` is imported from there
through PYTHONPATH, with this venv's libraries), so the before/after ratio is taken within each
round. ``import-codings`` runs on a fresh copy of the project each time (one coding per
transcript). Written to exports/bench/startup_commands.json::

    .venv/bin/python tests/bench/bench_startup.py --commands --rounds 5 --before /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from paired import paired_rounds, ratios, spread  # noqa: E402

TARGET = 2.5
TEXT = (
    "Interviewer: How many cases do you carry?\n\n"
    "P0{n}: About forty at a time. The lab takes months [sighs]. Triage decides the rest.\n\n"
    "Interviewer: And the plea deals?\n\n"
    "P0{n}: Most end in a plea. Trials are rare.\n"
)


def build_project(folder: Path) -> str:
    project = str(folder / "bench.db")
    files = []
    for n in range(1, 4):
        path = folder / f"P0{n}.txt"
        path.write_text(TEXT.format(n=n), encoding="utf-8")
        files.append(str(path))
    run_cli(["init", "--project", project])
    run_cli(["import", *files, "--project", project])
    run_cli(["codes", "add", "Caseload", "--project", project])
    for n in range(1, 4):
        span = ["-s", "13", "-e", "41"]
        run_cli(
            ["code", "-d", f"P0{n}", "-c", "Caseload", *span, "--project", project, "--coder", "a"]
        )
    return project


CLI = [sys.executable, "-c", "from qualcode.cli import main; main()"]
#: the command lines users run most ({project}, {codings} and {out} are filled in)
COMMAND_LINES: dict[str, list[str]] = {
    "frequencies": ["frequencies"],
    "retrieve CODE": ["retrieve", "Caseload"],
    "cooccurrence --unit turn": ["cooccurrence", "--unit", "turn"],
    "import-codings FILE": ["import-codings", "{codings}"],
    "codebook export F.yaml": ["codebook", "export", "{out}/codebook.yaml"],
    "export qdc": ["export", "qdc", "{out}/codebook.qdc"],
    "export qdpx": ["export", "qdpx", "{out}/project.qdpx"],
    "documents --json": ["documents", "--json"],
    "--version": ["--version"],
}
BASELINE = [sys.executable, "-c", "import sqlalchemy.orm"]


def run_cli(args: list[str]) -> None:
    subprocess.run([*CLI, *args], check=True, capture_output=True)


def timed(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def slowest_imports(cmd: list[str], top: int = 10) -> list[tuple[str, float]]:
    """The costliest imports (cumulative ms) that are not inside another listed one."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    err = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit():
            depth = (len(name) - len(name.lstrip())) // 2
            rows.append((depth, name.strip(), int(cumulative) / 1000))
    shallow = sorted((r for r in rows if r[0] <= 1), key=lambda r: -r[2])
    return [(name, round(ms, 1)) for _, name, ms in shallow[:top]]


def measure_commands(rounds: int, before: Path | None) -> dict[str, Any]:
    """CPU and wall of each of COMMAND_LINES (and from ``before``), paired with the baseline."""
    trees = {"qualcode": None, **({"before": before} if before is not None else {})}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = build_project(folder)
        codings = folder / "codings.csv"
        codings.write_text(
            "document,code,coder,start,end\n"
            + "".join(f"P0{n}.txt,Caseload,b,48,70\n" for n in range(1, 4)),
            encoding="utf-8",
        )

        def side(tree: Path | None, args: list[str]) -> Any:
            env = None if tree is None else {**os.environ, "PYTHONPATH": str(tree)}

            def run() -> tuple[float, float]:
                where = project
                if "{codings}" in args:  # adds codings: a fresh copy each time
                    where = str(folder / "copy.db")
                    shutil.copyfile(project, where)
                fill = {"codings": str(codings), "out": str(folder)}
                line = [a.format(**fill) for a in args]
                # run outside the repository: python -c puts the working directory first on
                # sys.path, where this checkout's qualcode would shadow the ``before`` tree's
                return timed([*CLI, "--project", where, *line], env, cwd=folder)

            return run

        sides: dict[str, Any] = {"baseline": lambda: timed(BASELINE)}
        for label, args in COMMAND_LINES.items():
            for name, tree in trees.items():
                sides[f"{name}: {label}"] = side(tree, args)
        for run in sides.values():  # warm the file cache
            run()
        runs = paired_rounds(sides, rounds)
    base = [r[1] for r in runs["baseline"]]
    result: dict[str, Any] = {
        "benchmark": "CPU (user + sys) of command lines in fresh processes, start-up included",
        "rounds": rounds,
        "before": str(before) if before else None,
        "baseline_cpu_s": spread(base),
        "commands": {},
    }
    for label in COMMAND_LINES:
        ours = [r[1] for r in runs[f"qualcode: {label}"]]
        row: dict[str, Any] = {
            "cpu_s": spread(ours),
            "wall_s": spread([r[0] for r in runs[f"qualcode: {label}"]]),
            "vs_baseline": spread(ratios(ours, base), 3),
        }
        if before is not None:
            then = [r[1] for r in runs[f"before: {label}"]]
            row["before_cpu_s"] = spread(then)
            row["vs_before"] = spread(ratios(ours, then), 3)
        result["commands"][label] = row
        then_text = (
            f"  before {row['before_cpu_s']['median']:.3f} s, "
            f"ratio {row['vs_before']['median']:.2f}"
            if before is not None
            else ""
        )
        print(
            f"{label:26} CPU {row['cpu_s']['median']:.3f} s "
            f"({row['cpu_s']['min']:.3f}-{row['cpu_s']['max']:.3f}){then_text}"
        )
    print(f"{'baseline (sqlalchemy.orm)':26} CPU {result['baseline_cpu_s']['median']:.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--commands", action="store_true", help="the most-run command lines")
    parser.add_argument("--before", type=Path, help="with --commands: a source tree to compare")
    args = parser.parse_args()
    if args.commands:
        out = ROOT / "exports" / "bench" / "startup_commands.json"
        result = measure_commands(args.rounds, args.before)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as tmp:
        project = build_project(Path(tmp))
        command = [*CLI, "--project", project, "documents", "--json"]
        timed(command), timed(BASELINE)  # warm the file cache
        runs = paired_rounds(
            {"qualcode": lambda: timed(command), "baseline": lambda: timed(BASELINE)},
            args.rounds,
        )
        imports = slowest_imports(command)
    result: dict[str, Any] = {
        "benchmark": "qualcode --project P documents --json vs python -c 'import sqlalchemy.orm'",
        "rounds": args.rounds,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "target_ratio": TARGET,
    }
    for i, kind in enumerate(("wall", "cpu")):
        q = [r[i] for r in runs["qualcode"]]
        b = [r[i] for r in runs["baseline"]]
        result[kind] = {
            "qualcode_s": spread(q),
            "baseline_s": spread(b),
            "ratio": spread(ratios(q, b)),
            "ratio_of_medians": round(statistics.median(q) / statistics.median(b), 3),
        }
    result["slowest_imports_ms"] = imports
    print(json.dumps(result, indent=2))
    out = ROOT / "exports" / "bench" / "startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ratio = result["wall"]["ratio"]["median"]
    verdict = f"within {TARGET}x" if ratio <= TARGET else f"OVER {TARGET}x"
    print(f"documents --json: {ratio:.2f}x the baseline (median of paired rounds), {verdict}")


if __name__ == "__main__":
    main()
