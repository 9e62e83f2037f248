"""The agreement report on a generated multi-coder project is what it was before the report
was computed code by code (tests/agreement/fixtures/report_before.json, written by the earlier
implementation that built every code's units at once).

Three coders: every figure is identical. Four coders: the same up to floating-point rounding
(a cluster's bootstrap features are added up in another order; thirds are not exact).
Regenerate the fixture only on purpose: ``QUALCODE_WRITE_REPORT_FIXTURE=1 pytest this file``.
"""

from __future__ import annotations

import json
import math
import os
import random
from pathlib import Path
from typing import Any

import pytest

from qualcode.agreement.project_report import agreement_report
from qualcode.store import Project

FIXTURE = Path(__file__).parent / "fixtures" / "report_before.json"
WORDS = ["the", "lab", "backlog", "is", "long", "and", "we", "triage", "cases", "by", "plea"]
WORDS += ["offers", "every", "week"]
CODES = ("Caseload", "Caseload/Volume", "Triage/Plea", "Triage/Dismissal", "Lab")
UNITS = ("sentence", "paragraph", "character", "document", "overlap")
N_BOOT = 300


def generated(
    coders: int, seed: int
) -> tuple[dict[str, Any], list[tuple[str, str, str, int, int]]]:
    """Documents (text, sentence/turn/paragraph segments) and codings by ``coders`` coders who
    mostly agree; one document coded by one coder only, one coder skipping another."""
    rng = random.Random(seed)
    names = [f"c{i + 1}" for i in range(coders)]
    documents: dict[str, Any] = {}
    codings: list[tuple[str, str, str, int, int]] = []
    for d in range(14):
        parts, sentences, turns = [], [], []
        pos = 0
        for _turn in range(rng.randint(4, 8)):
            turn_start = pos
            for _ in range(rng.randint(1, 5)):
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
                sentence = words.capitalize() + "."
                parts.append(sentence + " ")
                sentences.append((pos, pos + len(sentence)))
                pos += len(sentence) + 1
            turns.append((turn_start, pos - 1))
            parts.append("\n")
            pos += 1
        name = f"D{d:02d}"
        documents[name] = (
            "".join(parts),
            {"sentence": sentences, "turn": turns, "paragraph": turns},
        )
        who = names[:1] if d == 3 else [c for c in names if not (d == 5 and c == names[-1])]
        for start, end in rng.sample(sentences, min(len(sentences), rng.randint(3, 9))):
            code = rng.choice(CODES)
            for coder in who:
                roll = rng.random()
                if roll < 0.7:
                    codings.append((name, code, coder, start, end))
                elif roll < 0.8:  # part of the passage
                    codings.append((name, code, coder, start, max(start + 1, end - 4)))
                elif roll < 0.9:
                    codings.append((name, rng.choice(CODES), coder, start, end))
        for coder in who:
            if rng.random() < 0.5:  # a passage only this coder saw
                start, end = rng.choice(sentences)
                codings.append((name, rng.choice(CODES), coder, start, end))
    unique = list(dict.fromkeys(codings))
    return documents, unique


def reports(project: Project) -> dict[str, Any]:
    out = {unit: agreement_report(project, unit=unit, n_boot=N_BOOT) for unit in UNITS}
    out["pair"] = agreement_report(project, coders=["c1", "c2"], unit="sentence", n_boot=N_BOOT)
    return out


def close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for key in a:
            close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("coders", [3, 4])
def test_report_is_what_it_was(make_project: Any, coders: int) -> None:
    documents, codings = generated(coders, seed=20261203 + coders)
    now = json.loads(json.dumps(reports(make_project(documents, codings))))
    stored = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.exists() else {}
    if os.environ.get("QUALCODE_WRITE_REPORT_FIXTURE"):
        stored[str(coders)] = now
        FIXTURE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    before = stored[str(coders)]
    assert {u: now[u]["documents"] for u in now} == {u: 14 for u in now}
    assert now["sentence"]["single_coder_documents"] == ["D03"]
    if coders == 3:
        assert now == before
    else:
        close(now, before)
