"""One code's disagreements, one at a time, side by side: the same text around the passage with
each coder's spans marked, the decision, and how many are settled."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, ProgressBar, Static

from qualcode.agreement.adjudicate import Item, Review
from qualcode.analysis.spans import Span

STYLE_A = "bold black on #7fb3d5"
STYLE_B = "bold black on #f0b27a"
KIND_TEXT = {
    "a_not_b": "{a} coded this, {b} did not",
    "b_not_a": "{b} coded this, {a} did not",
    "different_spans": "{a} and {b} coded different spans",
}
CHOICE_TEXT = {
    "a": "keep {a}'s version",
    "b": "keep {b}'s version",
    "both": "keep both (everything either coded)",
    "drop": "drop it (code neither)",
}


def spans_text(spans: Sequence[Span]) -> str:
    return ", ".join(f"{s}–{e}" for s, e in spans)


def marked_context(
    context: str, offset: int, passage: Span, spans: Sequence[Span], style: str
) -> Text:
    """``context`` (starting at document offset ``offset``): dim outside the passage, the
    coder's ``spans`` in ``style``; line breaks kept."""
    text = Text(context)
    low, high = passage[0] - offset, passage[1] - offset
    if low > 0:
        text.stylize("dim", 0, low)
    if high < len(context):
        text.stylize("dim", max(high, 0), len(context))
    for start, end in spans:
        text.stylize(style, max(start - offset, 0), min(end - offset, len(context)))
    return text


def decision_line(item: Item, review: Review) -> Text:
    a, b = review.coder_a, review.coder_b
    d = item.decision
    if d is None:
        return Text.assemble(
            ("open", "bold yellow"), f": 1 keeps {a}, 2 keeps {b}, b keeps both, d drops"
        )
    return Text.assemble(
        ("settled", "bold green"),
        f": {CHOICE_TEXT[d.choice].format(a=a, b=b)} · consensus codes ",
        spans_text(d.kept) or "nothing",
        (f" · by {d.decided_by} {d.decided_at.replace('T', ' ')}", "dim"),
    )


class DisagreementView(Vertical):
    """Walks through the items of a :class:`Review`: A's version left, B's right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.review: Review | None = None
        self.index = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="dv-top"):
            yield Label("", id="dv-title")
            yield ProgressBar(id="dv-progress", show_eta=False)
        yield Label("", id="dv-head")
        with Horizontal(id="dv-sides"):
            with VerticalScroll(id="dv-a", classes="dv-side"):
                yield Static("", id="dv-text-a", classes="dv-text")
            with VerticalScroll(id="dv-b", classes="dv-side"):
                yield Static("", id="dv-text-b", classes="dv-text")
        yield Label("", id="dv-decision")

    @property
    def current(self) -> Item | None:
        review = self.review
        return review.items[self.index] if review is not None and review.items else None

    def show(self, review: Review, index: int | None = None) -> None:
        """Show ``review`` at item ``index`` (0-based; None keeps the position)."""
        self.review = review
        wanted = self.index if index is None else index
        self.index = min(max(wanted, 0), max(len(review.items) - 1, 0))
        self._redraw()

    def move(self, step: int) -> None:
        if self.review is not None and self.review.items:
            self.index = (self.index + step) % len(self.review.items)
            self._redraw()

    def next_open(self) -> None:
        """Go to the next unsettled item after this one (wrapping), if there is one."""
        review = self.review
        if review is None:
            return
        count = len(review.items)
        for step in range(1, count + 1):
            if review.items[(self.index + step) % count].decision is None:
                self.index = (self.index + step) % count
                break
        self._redraw()

    def _redraw(self) -> None:
        review = self.review
        if review is None:
            return
        a, b, total = review.coder_a, review.coder_b, len(review.items)
        self.query_one("#dv-title", Label).update(
            Text.assemble(
                (review.code, "bold"),
                f"  {review.settled} of {total} settled, {review.open} open",
                (f"  · by {review.unit}", "dim"),
            )
        )
        self.query_one("#dv-progress", ProgressBar).update(
            total=max(total, 1), progress=review.settled
        )
        item = self.current
        sides = (
            (self.query_one("#dv-a", VerticalScroll), "1", a, STYLE_A),
            (self.query_one("#dv-b", VerticalScroll), "2", b, STYLE_B),
        )
        head = self.query_one("#dv-head", Label)
        if item is None:
            head.update(
                f"{a} and {b} agree everywhere on this code "
                f"({len(review.agreements)} agreed passage(s), "
                f"{review.agreements_in_consensus} already in consensus: a accepts them)."
            )
            for side, *_ in sides:
                side.border_title = ""
                side.query_one(Static).update("")
            self.query_one("#dv-decision", Label).update("")
            return
        p = item.passage
        head.update(
            Text.assemble(
                (f"{item.number}/{total}", "bold"),
                f"  {p.document} {p.start}–{p.end}  ",
                (KIND_TEXT[p.kind].format(a=a, b=b), "italic"),
            )
        )
        for (side, key, coder, style), spans in zip(sides, (p.spans_a, p.spans_b), strict=True):
            side.border_title = f"{key} · {coder}: {spans_text(spans) or 'did not code this'}"
            body = marked_context(item.context, item.context_start, (p.start, p.end), spans, style)
            side.query_one(Static).update(body)
            side.scroll_home(animate=False)
        self.query_one("#dv-decision", Label).update(decision_line(item, review))
