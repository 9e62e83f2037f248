"""Benchmark: the coding screen on a big transcript, next to a plain TextArea with the same text.

Not a test. Run from the repository root::

    .venv/bin/python tests/bench/bench_tui.py            # 50,000 words, 2,000 codings
    .venv/bin/python tests/bench/bench_tui.py --quick    # 10,000 words, 400 codings

A transcript is generated deterministically (seeded): alternating interviewer and participant
turns of seeded sentences, stored with its turn and sentence segments in a temporary project,
with codings on random sentence-aligned spans (many overlapping) under twelve codes. Everything
is driven with Pilot in a headless 160x48 terminal:

* open: from asking for the document until the text's first row is painted (the median of
  five opens, each in a fresh process, as a user's first open of a session; the plain
  TextArea: from starting an app that holds it until its first row is painted, also in fresh
  processes);
* apply / remove: from pressing a code's key (or x) until the changed line is painted again;
* scrolling: per cursor step and per page, how many lines are restyled (``built``) and how
  many screen rows are rendered afresh, against the plain TextArea's rows rendered (its
  ``get_line`` calls: it renders a row from one, and keeps the rest in its own cache).

The two sides run in paired rounds (``paired.py``): the opens alternate, process by process,
and the two screens run ``--rounds`` times (at least 3), alternating which goes first; a ratio
is the median (and range) of the per-round ratios, the cursor step's over the rounds' medians.

Figures are printed and written to exports/bench/tui.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import textual
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import TextArea

from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Coding, Document, Segment
from qualcode.tui.app import QualcodeApp, create_app
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.coding import CodingScreen

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from paired import paired_rounds, ratios, spread  # noqa: E402

SIZE = (160, 48)
VOCABULARY = (
    "the lab case cases file files warrant phone phones month months detective office "
    "county state federal plea deal trial jury evidence backlog forensic review time "
    "week weeks tip tips referral task force judge defence discovery child victim "
    "report officer agency staff training budget priority priorities hours images "
    "device devices extraction encryption cloud provider data volume expert witness "
    "we they it is was are were have had get got go went take took wait waited "
    "really just about maybe some all every most many few more less very so then "
    "and but or because when if while after before until since though"
)
WORDS = VOCABULARY.split()
CODE_KEYS = "1234567bdhij"
#: first opens measured (each in a fresh process); the median is reported
OPENS = 5


def sentence(rng: random.Random) -> str:
    n = rng.randint(6, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....?!")


def make_transcript(words: int, seed: int) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Text and its segments (kind, start, end, speaker)."""
    rng = random.Random(seed)
    parts: list[str] = []
    segments: list[tuple[str, int, int, str]] = []
    pos = 0
    count = 0
    turn = 0
    while count < words:
        speaker = "Interviewer" if turn % 2 == 0 else "P99"
        turn += 1
        label = f"{speaker}: "
        start = pos
        body: list[str] = []
        cursor = pos + len(label)
        for i in range(rng.randint(1, 3) if speaker == "Interviewer" else rng.randint(2, 12)):
            s = sentence(rng)
            if i:
                cursor += 1
            segments.append(("sentence", cursor, cursor + len(s), speaker))
            cursor += len(s)
            body.append(s)
            count += s.count(" ") + 1
        para = label + " ".join(body)
        segments.append(("turn", start, start + len(para), speaker))
        parts.append(para)
        pos += len(para) + 2
    return "\n\n".join(parts), segments


def build_project(path: Path, words: int, codings: int, seed: int) -> tuple[Project, int, str]:
    text, segments = make_transcript(words, seed)
    project = open_project(path, create=True)
    rng = random.Random(seed + 1)
    with project.write() as s:
        doc = Document(
            name="big.txt", text=text, sha256="big", source_name="big.txt", source_format="txt"
        )
        s.add(doc)
        s.flush()
        s.add_all(
            Segment(document_id=doc.id, kind=k, start=a, end=b, speaker=sp)
            for k, a, b, sp in segments
        )
        codes = []
        for i, key in enumerate(CODE_KEYS):
            colour = "#" + "".join(f"{rng.randrange(0x40, 0xFF):02x}" for _ in range(3))
            codes.append(
                Code(name=f"Code {i + 1}", colour=colour, key=key, position=i, guid=str(i))
            )
        s.add_all(codes)
        coder = Coder(name="bench")
        s.add(coder)
        s.flush()
        sentences = [(a, b) for k, a, b, _ in segments if k == "sentence"]
        seen: set[tuple[int, int, int]] = set()
        while len(seen) < codings:
            i = rng.randrange(len(sentences))
            j = min(len(sentences) - 1, i + rng.choice((0, 0, 0, 1, 2)))
            code = rng.choice(codes).id
            key = (sentences[i][0], sentences[j][1], code)
            if key in seen:
                continue
            seen.add(key)
            s.add(
                Coding(
                    document_id=doc.id, code_id=code, coder_id=coder.id, start=key[0], end=key[1]
                )
            )
        doc_id = doc.id
    return project, doc_id, text


class BareArea(TextArea):
    """The baseline: a plain read-only soft-wrapped TextArea, counting its work."""

    def __init__(self, text: str) -> None:
        super().__init__(text, read_only=True, soft_wrap=True, highlight_cursor_line=False)
        self.calls = {"get_line": 0, "rendered": 0}

    def get_line(self, line_index: int) -> Text:
        self.calls["get_line"] += 1
        return super().get_line(line_index)

    def render_line(self, y: int) -> Strip:
        self.calls["rendered"] += 1
        return super().render_line(y)


class BareApp(App[None]):
    """The plain TextArea, as wide as the coding screen's transcript."""

    def __init__(self, text: str, width: int) -> None:
        super().__init__()
        self.text = text
        self.width = width

    def compose(self) -> ComposeResult:
        area = BareArea(self.text)
        area.styles.width = self.width
        yield area


async def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> float:
    """Poll (yielding to the app) until ``condition()``; returns the time it took."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - start


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def open_once(project: Project, doc_id: int) -> float:
    """A fresh app on the project screen; the time to open the document in it."""
    app = create_app(project, "bench")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app, QualcodeApp)
        await wait_for(lambda: app.ctx is not None and app.screen.is_current)
        await pilot.pause()
        start = time.perf_counter()
        app.post_message(OpenDocument(doc_id))
        await wait_for(lambda: isinstance(app.screen, CodingScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await wait_for(lambda: screen.view.stats["rendered"] > 0)
        return time.perf_counter() - start


def open_in_fresh_process(*args: object) -> float:
    """Seconds one open took in a new Python process (``--measure-open`` below)."""
    command = [sys.executable, __file__, "--measure-open", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return float(done.stdout.split()[-1])


def opens(ours: tuple[object, ...], bare: tuple[object, ...]) -> dict[str, list[float]]:
    """First opens, each in a fresh process, the two sides paired and alternating."""
    return paired_rounds(
        {
            "ours": lambda: open_in_fresh_process(*ours),
            "bare": lambda: open_in_fresh_process(*bare),
        },
        OPENS,
    )


async def bench_ours(project: Project, doc_id: int, text: str, rounds: int) -> dict[str, Any]:
    app = create_app(project, "bench")
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app, QualcodeApp)
        await wait_for(lambda: app.ctx is not None and app.screen.is_current)
        await pilot.pause()
        app.post_message(OpenDocument(doc_id))
        await wait_for(lambda: isinstance(app.screen, CodingScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.view
        await wait_for(lambda: view.stats["rendered"] > 0)
        out["codings_shown"] = len(view.codings)
        out["text_width"] = view.outer_size.width
        await pilot.pause()

        apply_times: list[float] = []
        remove_times: list[float] = []
        rng = random.Random(7)
        sentences = [s for s in screen.doc.sentences if s.end - s.start > 20] if screen.doc else []
        for _ in range(rounds):
            sent = sentences[rng.randrange(min(len(sentences), 60))]
            view.select_span(sent.start, sent.end)
            await pilot.pause()
            key = rng.choice(CODE_KEYS)
            code_id = screen.by_key[key]
            if any(
                (c.start, c.end, c.code_id) == (sent.start, sent.end, code_id)
                for c in screen.codings.values()
            ):
                continue
            row = view.index.row_of(sent.start)
            rendered = view.stats["rendered"]
            before = dict(view.codings)
            t0 = time.perf_counter()
            press = asyncio.create_task(pilot.press(key))
            await wait_for(
                lambda n=len(before), r=rendered: (
                    len(view.codings) > n and view.stats["rendered"] > r
                )
            )
            apply_times.append(time.perf_counter() - t0)
            await press
            await pilot.pause()
            new_id = next(cid for cid in view.codings if cid not in before)
            assert view.codings[new_id][:2] == (sent.start, sent.end), "wrong coding shown"
            assert row in view.index.rows_between(sent.start, sent.end)
            screen.focus_coding_id = new_id
            rendered = view.stats["rendered"]
            t0 = time.perf_counter()
            press = asyncio.create_task(pilot.press("x"))
            await wait_for(
                lambda i=new_id, r=rendered: i not in view.codings and view.stats["rendered"] > r
            )
            remove_times.append(time.perf_counter() - t0)
            await press
            await pilot.pause()
        out["apply_ms"] = summary(apply_times)
        out["remove_ms"] = summary(remove_times)

        view.move_to(0)
        await pilot.pause()
        out["cursor_down"] = await steps(pilot, view.stats, "down", 60)
        out["page_down"] = await steps(pilot, view.stats, "pagedown", 20)
        out["styled_lines_cached"] = len(view._styled)
        out["document_lines"] = view.index.rows
    return out


async def steps(pilot: Pilot[None], counters: Any, key: str, n: int) -> dict[str, float]:
    """Per key press: work done (counters' increase) and wall time."""
    names = ("get_line", "rendered", "built")
    before = {k: counters.get(k, 0) for k in names}
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        await pilot.press(key)
        times.append(time.perf_counter() - t0)
    per = {f"{k}_per_step": round((counters.get(k, 0) - before[k]) / n, 2) for k in names}
    per["press_ms_median"] = ms(statistics.median(times))
    return per


async def bare_open_once(text: str, width: int) -> float:
    app = BareApp(text, width)
    start = time.perf_counter()
    async with app.run_test(size=SIZE):
        area = app.query_one(BareArea)
        await wait_for(lambda: area.calls["rendered"] > 0)
        return time.perf_counter() - start


async def bench_bare(text: str, rounds: int, width: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    app = BareApp(text, width)
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(BareArea)
        await wait_for(lambda: area.calls["rendered"] > 0)
        area.focus()
        await pilot.pause()
        select_times = []
        for _ in range(rounds):
            rendered = area.calls["rendered"]
            t0 = time.perf_counter()
            press = asyncio.create_task(pilot.press("shift+right"))
            await wait_for(lambda r=rendered: area.calls["rendered"] > r)
            select_times.append(time.perf_counter() - t0)
            await press
            await pilot.pause()
        out["keypress_to_paint_ms"] = summary(select_times)
        area.move_cursor((0, 0))
        await pilot.pause()
        out["cursor_down"] = await steps(pilot, area.calls, "down", 60)
        out["page_down"] = await steps(pilot, area.calls, "pagedown", 20)
    return out


def summary(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": ms(statistics.median(values)),
        "p95": ms(values[min(len(values) - 1, int(len(values) * 0.95))]),
        "max": ms(values[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 words and 400 codings")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds of the screens")
    parser.add_argument("--measure-open", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_open:  # in a fresh process: one open, its seconds printed
        kind, *rest = args.measure_open
        if kind == "ours":
            print(asyncio.run(open_once(open_project(rest[0]), int(rest[1]))))
        else:
            text, _ = make_transcript(int(rest[0]), int(rest[1]))
            print(asyncio.run(bare_open_once(text, int(rest[2]))))
        return
    words, codings, rounds = (10_000, 400, 8) if args.quick else (50_000, 2_000, 20)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = Path(tmp) / "bench.db"
        project, doc_id, text = build_project(path, words, codings, args.seed)
        built = time.perf_counter() - t0
        # the two screens in paired rounds, alternating which runs first (ours first in the
        # first round: the bare TextArea takes its width)
        width: list[int] = []

        def run_ours() -> dict[str, Any]:
            out = asyncio.run(bench_ours(project, doc_id, text, rounds))
            width.append(out["text_width"])
            return out

        screens = paired_rounds(
            {"ours": run_ours, "bare": lambda: asyncio.run(bench_bare(text, rounds, width[0]))},
            args.rounds,
        )
        ours, bare = screens["ours"][0], screens["bare"][0]
        for key in ("cursor_down", "page_down"):
            for side, runs in (("ours", screens["ours"]), ("bare", screens["bare"])):
                target = ours if side == "ours" else bare
                target[key]["press_ms_rounds"] = spread(
                    [r[key]["press_ms_median"] for r in runs], 2
                )
        opened = opens(("ours", path, doc_id), ("bare", words, args.seed, width[0]))
        ours["open_ms"] = ms(statistics.median(opened["ours"]))
        ours["opens_ms"] = [ms(t) for t in opened["ours"]]
        bare["open_ms"] = ms(statistics.median(opened["bare"]))
        bare["opens_ms"] = [ms(t) for t in opened["bare"]]
        project.dispose()
    step = [
        [r["cursor_down"]["press_ms_median"] for r in screens[side]] for side in ("ours", "bare")
    ]
    ratio = {
        "open": spread(ratios(opened["ours"], opened["bare"]), 2),
        "cursor_step": spread(ratios(step[0], step[1]), 2),
        "apply_vs_bare_keypress": round(
            ours["apply_ms"]["median"] / bare["keypress_to_paint_ms"]["median"], 2
        ),
        "rows_rendered_per_cursor_step": round(
            ours["cursor_down"]["rendered_per_step"]
            / max(bare["cursor_down"]["get_line_per_step"], 0.01),
            3,
        ),
        "rows_rendered_per_page": round(
            ours["page_down"]["rendered_per_step"]
            / max(bare["page_down"]["get_line_per_step"], 0.01),
            3,
        ),
    }
    report = {
        "transcript": {"words": words, "characters": len(text), "codings": codings},
        "terminal": list(SIZE),
        "project_build_s": round(built, 2),
        "qualcode": ours,
        "bare_textarea": bare,
        "ratio_qualcode_to_bare": ratio,
        "targets": {"open_ms": 500, "apply_ms": 50, "remove_ms": 50},
        "ok": ours["open_ms"] < 500
        and ours["apply_ms"]["median"] < 50
        and ours["remove_ms"]["median"] < 50,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "machine": platform.machine(),
    }
    out = ROOT / "exports" / "bench" / "tui.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
