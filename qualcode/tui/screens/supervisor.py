"""The supervisor's screen: agreement per code between two coders, and settling disagreements.

The table lists every code with Krippendorff's alpha coloured by verdict (reliable >= .800
green, tentative yellow, unreliable red) and how many of its disagreements are settled. o (or
enter) walks through a code's disagreements side by side in context; 1, 2, b, d keep A's
version, B's, both or neither as codings of the coder "consensus" (a memo records each
decision); u undoes. Built as ``SupervisorScreen(ctx)``; posts :class:`OpenDocument` to show a
passage in the coding screen and :class:`CodingsChanged` after every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Header, Input, Label, Select

from qualcode.agreement.adjudicate import CONSENSUS, Review, load_reviews
from qualcode.agreement.consensus import Receipt, accept_agreements, reopen, settle, undo
from qualcode.agreement.project_report import agreement_report
from qualcode.coding.coders import coders_by_codings
from qualcode.errors import QualcodeError, first_line
from qualcode.store.db import StoreError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.widgets.disagreement_view import CHOICE_TEXT, DisagreementView
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.sized_table import SizedTable

REVIEW_HELP = "Walk through the highlighted code's disagreements (also enter)"
SUPERVISOR = KeyGroup(
    "Supervisor screen",
    (
        Key("supervisor.review", "o", "review_code", "Open code", show=True, help=REVIEW_HELP),
        Key("supervisor.open", "o,enter", "open_passage", "Open in coding", show=True),
        Key("supervisor.keep-a", "1", "settle('a')", "Keep A", show=True, help="Keep A's version"),
        Key("supervisor.keep-b", "2", "settle('b')", "Keep B", show=True, help="Keep B's version"),
        Key("supervisor.keep-both", "b", "settle('both')", "Keep both", show=True),
        Key("supervisor.drop", "d", "settle('drop')", "Drop", show=True, help="Code neither"),
        Key("supervisor.next", "n", "move(1)", "Next", show=True, help="Next disagreement"),
        Key("supervisor.previous", "p", "move(-1)", "Previous", show=True),
        Key("supervisor.next-open", "space", "next_open", "Next open", help="Next unsettled one"),
        Key("supervisor.reopen", "r", "reopen", "Reopen", help="Undo the decision shown"),
        Key(
            "supervisor.accept",
            "a",
            "accept_agreements",
            "Accept agreements",
            show=True,
            help="Copy the passages both coders coded alike to consensus",
        ),
        Key("supervisor.undo", "u,ctrl+z", "undo", "Undo", show=True, help="Undo the last change"),
        Key("supervisor.redo", "U,ctrl+y", "redo", "Redo", help="Redo the change undone last"),
        Key("supervisor.coders", "c", "focus_field('#sup-coder-a')", "Coders"),
        Key("supervisor.unit", "t", "cycle_unit", "Unit", show=True, help="Next unit of analysis"),
        Key("supervisor.filter", "slash", "focus_field('#sup-filter')", "Filter", show=True),
        Key("supervisor.back", "escape", "back", "Back", show=True),
    ),
)
UNITS = ("sentence", "turn", "paragraph", "character", "overlap", "document")
REVIEW_ONLY = {"settle", "move", "next_open", "open_passage", "reopen"}
VERDICT_STYLE = {"reliable": "green", "tentative": "yellow", "unreliable": "red"}
COLUMNS = ("Code", "α", "95% CI", "Verdict", "κ", "Agree", "A", "B", "Disagree", "Open")
MORE_COLUMNS = ("Settled", "Agreed→consensus")
PAGES = {"table": "sup-table", "review": "sup-view"}


@dataclass(frozen=True)
class Request:
    coder_a: str
    coder_b: str
    unit: str

    @property
    def matching(self) -> str:
        """How passages are compared: by the table's unit, but exact spans for documents."""
        return "character" if self.unit == "document" else self.unit


def number(value: float | None, fmt: str = "{:.3f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def code_cells(row: dict[str, Any], review: Review | None, a: str, b: str) -> list[Any]:
    """One row of the table: a code's statistics from the report, then its progress."""
    style = VERDICT_STYLE.get(row["verdict"] or "", "dim")
    low, high = row["alpha_low"], row["alpha_high"]
    cells: list[Any] = [
        Text(row["code"]),  # not markup: a DataTable reads str cells as markup
        Text(number(row["krippendorff_alpha"]), style=f"bold {style}"),
        "n/a" if low is None else f"{low:.3f}–{high:.3f}",
        Text(row["verdict"] or "n/a", style=style),
        number(row.get("cohen_kappa")),
        number(row["percent_agreement"], "{:.1%}"),
        str(row["usage"].get(a, 0)),
        str(row["usage"].get(b, 0)),
    ]
    if review is None:
        return [*cells, "–", "–", "–", "–"]
    agreed = f"{review.agreements_in_consensus}/{len(review.agreements)}"
    opened = Text(str(review.open), style="bold yellow" if review.open else "green")
    return [*cells, str(len(review.items)), opened, str(review.settled), agreed]


#: the pooled row under the codes: every code's units together (the report's "overall")
OVERALL_LABEL = "all codes (pooled)"
OVERALL_KEY = "\x00overall"


def overall_cells(row: dict[str, Any], reviews: list[Review], a: str, b: str) -> list[Any]:
    """The pooled row: the report's overall statistics, and the progress of all codes."""
    cells = code_cells({**row, "code": OVERALL_LABEL}, None, a, b)[:8]
    cells[0] = Text(OVERALL_LABEL, style="bold italic")
    items = sum(len(r.items) for r in reviews)
    opened = sum(r.open for r in reviews)
    settled = sum(r.settled for r in reviews)
    agreed = sum(len(r.agreements) for r in reviews)
    in_consensus = sum(r.agreements_in_consensus for r in reviews)
    if not reviews:
        return [*cells, "–", "–", "–", "–"]
    return [*cells, str(items), str(opened), str(settled), f"{in_consensus}/{agreed}"]


class SupervisorScreen(DataScreen):
    """Agreement between two coders, and settling their disagreements into "consensus"."""

    CSS_PATH = "supervisor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*SUPERVISOR.bindings()]
    KEY_GROUPS = (SUPERVISOR,)

    class Coders(Message):
        def __init__(self, names: list[str]) -> None:
            super().__init__()
            self.names = names

    @dataclass
    class Loaded(Message):
        """Read in a worker: progress per code, maybe statistics, a review, a change made."""

        request: Request
        reviews: list[Review]
        stats: list[dict[str, Any]] | None = None
        review: Review | None = None
        index: int | None = None
        action: str = ""
        receipt: Receipt | None = None
        note: str = ""

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, ctx: AppContext, *, coders: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.wanted = coders
        self.request: Request | None = None
        self.stats: list[dict[str, Any]] = []
        self.progress: dict[str, Review] = {}
        self.mode = "table"
        self.busy = False
        self.undo_stack: list[Receipt] = []
        self.redo_stack: list[Receipt] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sup-form"):
            yield Label("A", classes="sup-label")
            yield Select[str]([], prompt="coder A", id="sup-coder-a", type_to_search=False)
            yield Label("B", classes="sup-label")
            yield Select[str]([], prompt="coder B", id="sup-coder-b", type_to_search=False)
            yield Label("unit", classes="sup-label")
            yield Select[str](
                [(u, u) for u in UNITS], value="sentence", allow_blank=False, id="sup-unit"
            )
            yield Input(placeholder="/ filter codes", id="sup-filter")
        yield Label("", id="sup-status")
        with ContentSwitcher(initial="sup-table", id="sup-pages"):
            yield SizedTable(id="sup-table", cursor_type="row", zebra_stripes=True)
            yield DisagreementView(id="sup-view")
        yield KeyFooter()

    @property
    def view(self) -> DisagreementView:
        return self.query_one("#sup-view", DisagreementView)

    def on_mount(self) -> None:
        self.query_one("#sup-table", SizedTable).focus()
        self._status("reading the coders…")
        self._load_coders()

    # -- workers: the store only, never a widget ----------------------------------------------
    @work(thread=True, exclusive=True, group="supervisor-coders")
    def _load_coders(self) -> None:
        # the coders who coded most come first: they are the pair a supervisor compares
        try:
            with self.ctx.project.session() as s:
                names = [n for n in coders_by_codings(s) if n != CONSENSUS]
        except StoreError as exc:
            self.post_message(self.Failed(first_line(exc)))
            return
        self.post_message(self.Coders(names))

    @work(thread=True, exclusive=True, group="supervisor-load")
    def _load(self, request: Request, stats: bool, code: str | None, index: int | None) -> None:
        """Progress of every code, with the statistics (``stats``) and a code's review."""
        a, b, project = request.coder_a, request.coder_b, self.ctx.project
        try:
            report = agreement_report(project, coders=[a, b], unit=request.unit, n_boot=2000)
            reviews = load_reviews(project, a, b, unit=request.matching)
        except (QualcodeError, StoreError) as exc:
            self.post_message(self.Failed(first_line(exc)))
            return
        review = next((r for r in reviews if r.code == code), None)
        overall = {**report["overall"], "code": OVERALL_LABEL, "overall": True}
        rows = [*report["codes"], overall] if stats else None
        self.post_message(self.Loaded(request, reviews, rows, review, index, "open"))

    @work(thread=True, group="supervisor-write")
    def _change(self, request: Request, action: str, review: Review | None, arg: Any) -> None:
        """Settle, reopen, accept or undo; then re-read the progress."""
        project, who = self.ctx.project, self.ctx.coder
        try:
            if action == "settle" and review is not None:
                receipt = settle(project, review, arg[0], arg[1], decided_by=who)
                what = CHOICE_TEXT[arg[1]].format(a=review.coder_a, b=review.coder_b)
                note = f"item {arg[0]}: {what}"
            elif action == "reopen" and review is not None:
                receipt = reopen(project, review, arg, actor=who)
                note = f"item {arg} reopened"
            elif action == "accept" and review is not None:
                receipt = accept_agreements(project, review, decided_by=who)
                note = f"{len(receipt.added)} agreed passage(s) of {review.code} now in consensus"
            else:
                receipt = undo(project, arg, actor=who)
                note = f"{action}: {receipt.label}"
            reviews = load_reviews(project, request.coder_a, request.coder_b, unit=request.matching)
        except (QualcodeError, StoreError) as exc:
            self.post_message(self.Failed(first_line(exc)))
            return
        code = review.code if review is not None else None
        fresh = next((r for r in reviews if r.code == code), None)
        note = note if receipt.changed else "already so: nothing changed"
        self.post_message(self.Loaded(request, reviews, None, fresh, None, action, receipt, note))

    # -- results (main thread) ----------------------------------------------------------------
    def on_supervisor_screen_coders(self, message: Coders) -> None:
        names = message.names
        if len(names) < 2:
            self._status("agreement needs two coders with codings", error=True)
            return
        first, second = self.wanted or (names[0], names[1])
        for selector, value in (("#sup-coder-a", first), ("#sup-coder-b", second)):
            select: Select[str] = self.query_one(selector, Select)
            with select.prevent(Select.Changed):
                select.set_options([(n, n) for n in names])
                if value in names:
                    select.value = value
        self.reload()

    def on_supervisor_screen_loaded(self, message: Loaded) -> None:
        if message.request != self.request:
            return
        self.progress = {r.code: r for r in message.reviews}
        if message.stats is not None:
            self.stats = message.stats
        receipt = message.receipt
        if message.action != "open":
            self.busy = False
        if receipt is not None and receipt.changed:
            # undo(receipt) reverts a change; the receipt of an undo redoes it
            if message.action == "undo":
                self.redo_stack.append(receipt)
            else:
                if message.action != "redo":
                    self.redo_stack.clear()
                self.undo_stack.append(receipt)
            self.post_message(CodingsChanged(receipt.document_ids))
        self._render_table()
        review, shown = message.review, self.view.review
        if message.action == "open" and message.index is not None:
            if review is None:
                self._show_mode("table")
                return
            self.view.show(review, message.index)
            self._show_mode("review")
        elif review is not None and shown is not None and shown.code == review.code:
            self.view.show(review)
            if message.action == "settle" and receipt is not None and receipt.changed:
                self.view.next_open()
        if message.note:
            self.notify(message.note, timeout=2)

    def on_supervisor_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self._status(message.error, error=True)

    # -- showing ------------------------------------------------------------------------------
    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#sup-status", Label)
        label.update(Text(text, style="bold red" if error else ""))
        label.set_class(error, "-error")

    def _render_table(self) -> None:
        request = self.request
        if request is None or not self.stats:
            return
        table = self.query_one("#sup-table", SizedTable)
        keep = table.cursor_row
        needle = self.query_one("#sup-filter", Input).value.strip().lower()
        a, b = request.coder_a, request.coder_b
        labels = [*COLUMNS[:6], a, b, *COLUMNS[8:], *MORE_COLUMNS]
        codes = [row for row in self.stats if not row.get("overall")]
        shown = [row for row in codes if needle in row["code"].lower()]
        rows = [
            (row["code"], code_cells(row, self.progress.get(row["code"]), a, b)) for row in shown
        ]
        for row in self.stats:
            if row.get("overall"):  # always there, whatever the filter
                reviews = list(self.progress.values())
                rows.append((OVERALL_KEY, overall_cells(row, reviews, a, b)))
        table.fill([(label, f"c{i}") for i, label in enumerate(labels)], rows)
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1))
        if self.mode == "review":
            self._status(
                f"{a} vs {b} · 1 2 b d settle · n p move · space next open · "
                "o open in the coding screen · u undo · esc back to the codes"
            )
            return
        total = sum(len(r.items) for r in self.progress.values())
        settled = sum(r.settled for r in self.progress.values())
        unit = request.unit + (" (passages: exact spans)" if request.unit == "document" else "")
        self._status(
            f"{a} vs {b} by {unit} · {len(shown)} code(s) · "
            f"{settled} of {total} disagreement(s) settled into {CONSENSUS}"
        )

    def _show_mode(self, mode: str) -> None:
        self.mode = mode
        self.query_one("#sup-pages", ContentSwitcher).current = PAGES[mode]
        self.query_one("#sup-table" if mode == "table" else "#dv-a").focus()
        self.refresh_bindings()
        self._render_table()

    # -- reading ------------------------------------------------------------------------------
    def current_request(self) -> Request | None:
        values = [self.query_one(f"#sup-{n}", Select).value for n in ("coder-a", "coder-b", "unit")]
        a, b, unit = values
        if isinstance(a, str) and isinstance(b, str) and isinstance(unit, str):
            return Request(a, b, unit)
        return None

    def reload(self) -> None:
        """Read the table again (and the review on show) for the coders and unit chosen."""
        request = self.current_request()
        if request is None or request.coder_a == request.coder_b:
            self._status("choose two different coders (c)", error=request is not None)
            return
        same = request == self.request
        self.request = request
        self._status(f"computing agreement of {request.coder_a} and {request.coder_b}…")
        shown = self.view.review if self.mode == "review" else None
        code = shown.code if shown is not None else None
        self._load(request, True, code, (self.view.index if same else 0) if code else None)

    def reload_data(self) -> None:
        if self.request is not None:
            self.reload()

    @on(Select.Changed)
    def _form_changed(self) -> None:
        if self.query_one("#sup-coder-a", Select).value is not Select.BLANK:
            self.reload()

    @on(Input.Changed, "#sup-filter")
    def _filter_changed(self) -> None:
        self._render_table()

    @on(Input.Submitted, "#sup-filter")
    def _filter_done(self) -> None:
        self.query_one("#sup-table", SizedTable).focus()

    @on(DataTable.RowSelected, "#sup-table")
    def _row_chosen(self) -> None:
        self.action_review_code()

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REVIEW_ONLY:
            return self.mode == "review"
        if action == "review_code":
            return self.mode == "table"
        return True

    def highlighted(self) -> Review | None:
        """The code on show: the one under review, or the table's highlighted row."""
        if self.mode == "review":
            return self.view.review
        table = self.query_one("#sup-table", SizedTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.progress.get(str(row_key.value))

    def action_review_code(self) -> None:
        review = self.highlighted()
        if review is not None and self.request is not None:
            self._status(f"reading the disagreements on {review.code}…")
            self._load(self.request, False, review.code, 0)

    def _write(self, action: str, arg: Any, review: Review | None = None) -> bool:
        if self.request is None:
            return False
        if self.busy:
            self.notify("still saving the last change", severity="warning", timeout=2)
            return False
        self.busy = True
        self._change(self.request, action, review, arg)
        return True

    def action_settle(self, choice: str) -> None:
        item = self.view.current
        if item is not None:
            self._write("settle", (item.number, choice), self.view.review)

    def action_reopen(self) -> None:
        item = self.view.current
        if item is not None:
            self._write("reopen", item.number, self.view.review)

    def action_accept_agreements(self) -> None:
        review = self.highlighted()
        if review is not None and not review.agreements:
            self.notify(f"no agreed passages on {review.code}", timeout=2)
        elif review is not None:
            self._write("accept", None, review)

    def action_undo(self) -> None:
        self._history(self.undo_stack, "undo")

    def action_redo(self) -> None:
        self._history(self.redo_stack, "redo")

    def _history(self, stack: list[Receipt], action: str) -> None:
        if not stack:
            self.notify(f"nothing to {action}", timeout=2)
        elif self._write(action, stack[-1], self.view.review):
            stack.pop()

    def action_move(self, step: int) -> None:
        self.view.move(step)

    def action_next_open(self) -> None:
        self.view.next_open()

    def action_open_passage(self) -> None:
        item = self.view.current
        if item is not None:
            p = item.passage
            self.post_message(OpenDocument(p.document_id, p.start, p.end))

    def action_cycle_unit(self) -> None:
        select: Select[str] = self.query_one("#sup-unit", Select)
        current = select.value if isinstance(select.value, str) else UNITS[0]
        select.value = UNITS[(UNITS.index(current) + 1) % len(UNITS)]

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_back(self) -> None:
        table = self.query_one("#sup-table", SizedTable)
        if self.mode == "review":
            self._show_mode("table")
        elif self.focused is not table:
            table.focus()
        elif len(self.app.screen_stack) > 1:
            self.dismiss(None)
