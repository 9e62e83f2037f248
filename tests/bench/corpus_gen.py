"""Deterministic generated transcripts for benchmarks (never committed: made on the fly)."""

from __future__ import annotations

import os
import platform
import random
from pathlib import Path

WORDS = [
    "the",
    "lab",
    "backlog",
    "is",
    "eleven",
    "months",
    "on",
    "phones",
    "and",
    "we",
    "lose",
    "cases",
    "to",
    "the",
    "speedy",
    "trial",
    "clock",
    "every",
    "detective",
    "has",
    "a",
    "queue",
    "of",
    "tips",
    "warrants",
    "come",
    "back",
    "from",
    "providers",
    "with",
    "terabytes",
    "of",
    "data",
    "discovery",
    "takes",
    "weeks",
    "because",
    "defence",
    "experts",
    "need",
    "supervised",
    "access",
    "plea",
    "offers",
    "move",
    "the",
    "docket",
    "and",
    "trials",
    "are",
    "rare",
    "staffing",
    "is",
    "thin",
    "and",
    "people",
    "burn",
    "out",
    "quickly",
    "training",
    "helps",
    "but",
    "there",
    "is",
    "no",
    "time",
    "caseload",
    "keeps",
    "rising",
    "and",
    "we",
    "triage",
    "the",
    "contact",
    "offences",
    "first",
    "encryption",
    "slows",
    "extraction",
    "continuances",
    "pile",
    "up",
    "juries",
    "expect",
    "forensic",
    "detail",
]


def transcript(seed: int, words: int = 8000) -> str:
    rng = random.Random(seed)
    out: list[str] = [f"[Generated benchmark transcript {seed}]\n"]
    written = 0
    turn = 0
    while written < words:
        speaker = "Interviewer" if turn % 2 == 0 else f"P{seed % 100:02d}"
        sentences = []
        for _ in range(rng.randint(1, 2) if turn % 2 == 0 else rng.randint(3, 9)):
            n = rng.randint(6, 22)
            body = " ".join(rng.choice(WORDS) for _ in range(n))
            sentences.append(body[0].upper() + body[1:] + rng.choice(".?."))
            written += n
        out.append(f"{speaker}: {' '.join(sentences)}\n")
        turn += 1
    return "\n".join(out)


def write_corpus(folder: Path, n: int, words: int = 8000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"T{i:04d}.txt"
        if not path.exists():
            path.write_text(transcript(i, words), encoding="utf-8")
        paths.append(path)
    return paths


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
