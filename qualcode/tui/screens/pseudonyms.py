"""The pseudonym screen: every identifier the scan proposed (or a person added), with its
pseudonym, category, status and forms, and the highlighted one's occurrences in context. One
key accepts (``a``) or rejects (``r``) it, ``u`` puts it back to review, ``A`` accepts every
candidate, ``s`` scans the project again. Reads and writes run in workers that post their
answers as messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Label, Select, Static

from qualcode.errors import QualcodeError, first_line
from qualcode.interop.export_all import project_label, slug
from qualcode.pseudonyms.review import (
    Occurrence,
    PseudonymRow,
    list_pseudonyms,
    occurrences,
    set_status,
)
from qualcode.pseudonyms.risk import RiskOptions, residual_risk
from qualcode.pseudonyms.scan import scan_project
from qualcode.pseudonyms.share import run_share_export
from qualcode.store.db import StoreError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.sized_table import SizedColumn, SizedTable

PSEUDONYMS = KeyGroup(
    "Pseudonym screen",
    (
        Key("pseudonyms.accept", "a", "set_status('accepted')", "Accept", show=True),
        Key("pseudonyms.reject", "r", "set_status('rejected')", "Reject", show=True),
        Key("pseudonyms.undo", "u", "set_status('candidate')", "Back to review", show=True),
        Key(
            "pseudonyms.accept_all",
            "A",
            "accept_all",
            "Accept all",
            help="Accept every candidate still to review",
        ),
        Key("pseudonyms.scan", "s", "scan", "Scan", show=True, help="Scan the project again"),
        Key(
            "pseudonyms.export",
            "e",
            "share",
            "Share package",
            show=True,
            help="Export a pseudonymised share package (.qdpx, .xlsx, .qdc or a CSV folder)",
        ),
        Key(
            "pseudonyms.risk",
            "k",
            "risk",
            "Risk",
            show=True,
            help="Residual risk: k-anonymity over attributes, unreviewed, numbers and dates left",
        ),
        Key("pseudonyms.status", "v", "focus_status", "Show", help="Which statuses to list"),
        Key("pseudonyms.back", "q,escape", "back", "Back", show=True),
    ),
)
ALL = "__all__"
STATUS_STYLE = {"candidate": "yellow", "accepted": "green", "rejected": "dim"}
CONTEXTS = 12
#: the list's columns and widths (the forms take what is left of 80 columns, and more)
COLUMNS = (
    SizedColumn("Status", "status", 9),
    SizedColumn("Pseudonym", "pseudonym", 16),
    SizedColumn("Category", "category", 16),
    SizedColumn("Seen", "seen", 4),
    SizedColumn("Forms", "forms", 60),
)


@dataclass
class Loaded(Message):
    """The list, read."""

    rows: list[PseudonymRow]
    generation: int


@dataclass
class ContextLoaded(Message):
    """The occurrences of one pseudonym."""

    pseudonym_id: int
    found: list[Occurrence]


@dataclass
class Reported(Message):
    """Lines to show in the lower pane (the residual risk, an export's result)."""

    title: str
    lines: list[str]


@dataclass
class Changed(Message):
    """A write is done: what it said."""

    note: str


class PseudonymScreen(DataScreen):
    """The pseudonym list; built as ``PseudonymScreen(ctx)``."""

    CSS_PATH = "pseudonyms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = PSEUDONYMS.bindings()
    KEY_GROUPS = (PSEUDONYMS,)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[PseudonymRow] = []
        #: reads and writes done (tests wait on them)
        self.loads_done = 0
        self.contexts_done = 0
        self.reports: list[Reported] = []
        #: reads asked for: an answer to an older one than the last is dropped
        self.generation = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="pseudo-form"):
            yield Label("", id="pseudo-summary")
            yield Select[str](
                [("to review", "candidate"), ("accepted", "accepted"), ("rejected", "rejected"),
                 ("all", ALL)],
                value=ALL,
                allow_blank=False,
                id="pseudo-status",
                type_to_search=False,
            )  # fmt: skip
        yield SizedTable[Text](id="pseudo-table", cursor_type="row")
        with VerticalScroll(id="pseudo-context"):
            yield Static("", id="pseudo-occurrences")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#pseudo-table", SizedTable)
        table.fill(COLUMNS, [])
        table.focus()
        self._load()

    def reload_data(self) -> None:
        self._load()

    # -- workers ------------------------------------------------------------------------------
    def _status_filter(self) -> str | None:
        value = self.query_one("#pseudo-status", Select).value
        return value if isinstance(value, str) and value != ALL else None

    def _load(self) -> None:
        self.generation += 1
        self._read(self.generation, self._status_filter())

    @work(thread=True, group="pseudonyms-load")
    def _read(self, generation: int, status: str | None) -> None:
        try:
            with self.ctx.project.session() as s:
                rows = list_pseudonyms(s, status=status)
        except (StoreError, QualcodeError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error")
            return
        self.post_message(Loaded(rows, generation))

    @work(thread=True, group="pseudonyms-context")  # an answer for another row is dropped
    def _load_context(self, pseudonym_id: int) -> None:
        try:
            with self.ctx.project.session() as s:
                found = occurrences(s, pseudonym_id, CONTEXTS)
        except (StoreError, QualcodeError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error")
            return
        self.post_message(ContextLoaded(pseudonym_id, found))

    @work(thread=True, exclusive=True, group="pseudonyms-write")
    def _write_status(self, ids: list[int], status: str, every: bool) -> None:
        try:
            with self.ctx.project.write() as s:
                done = set_status(s, ids, status, actor=self.ctx.coder, every=every)
        except (StoreError, QualcodeError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error")
            return
        what = done[0] if len(done) == 1 else f"{len(done)} pseudonyms"
        self.post_message(Changed(f"{what}: {status}"))

    @work(thread=True, exclusive=True, group="pseudonyms-write")
    def _scan(self) -> None:
        try:
            with self.ctx.project.write() as s:
                report = scan_project(s, actor=self.ctx.coder)
        except (StoreError, QualcodeError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error")
            return
        new = sum(report.new.values())
        self.post_message(Changed(f"scan: {new} new, {report.candidates} to review"))

    @work(thread=True, exclusive=True, group="pseudonyms-share")
    def _share(self, path: str) -> None:
        try:
            done = run_share_export(self.ctx.project, path)
        except (StoreError, QualcodeError) as exc:
            self.post_message(Reported("share package refused", [first_line(exc)]))
            return
        self.post_message(Reported("share package written", [str(done.path), done.summary]))

    @work(thread=True, exclusive=True, group="pseudonyms-risk")
    def _risk(self, answer: str) -> None:
        words = answer.split()
        k = next((int(w[2:]) for w in words if w.startswith("k=") and w[2:].isdigit()), 3)
        quasi = [q.strip() for w in words if not w.startswith("k=") for q in w.split(",")]
        try:
            report = residual_risk(self.ctx.project, RiskOptions(tuple(q for q in quasi if q), k))
        except (StoreError, QualcodeError) as exc:
            self.post_message(Reported("residual risk", [first_line(exc)]))
            return
        self.post_message(Reported("residual risk", report.lines()))

    # -- answers ------------------------------------------------------------------------------
    def on_loaded(self, message: Loaded) -> None:
        if message.generation != self.generation:
            return
        keep = self._highlighted()
        self.rows = message.rows
        table = self.query_one("#pseudo-table", SizedTable)
        table.fill(
            COLUMNS,
            [
                (
                    str(r.id),
                    [  # as Text: a str cell is read as markup, "[Judge 1]" a tag
                        Text(r.status, style=STATUS_STYLE.get(r.status, "")),
                        Text(r.pseudonym),
                        Text(r.category),
                        Text(str(r.occurrences)),
                        Text(" | ".join(r.forms)),
                    ],
                )
                for r in self.rows
            ],
        )
        ids = [r.id for r in self.rows]
        if keep is not None and keep.id in ids:
            table.move_cursor(row=ids.index(keep.id))
        waiting = sum(r.status == "candidate" for r in self.rows)
        self.query_one("#pseudo-summary", Label).update(
            f"{len(self.rows)} identifier(s), {waiting} to review · a accept · r reject"
        )
        self.loads_done += 1
        self._show_context()

    def on_context_loaded(self, message: ContextLoaded) -> None:
        row = self._highlighted()
        if row is None or row.id != message.pseudonym_id:
            return
        lines = Text()
        for c in message.found:
            lines.append(f"{c.where}: ", style="dim")
            lines.append(f"…{c.before}")
            lines.append(c.match, style="bold reverse")
            lines.append(f"{c.after}…\n")
        if not message.found:
            lines.append("not found in the project's texts", style="dim")
        self.query_one("#pseudo-occurrences", Static).update(lines)
        self.contexts_done += 1

    def on_reported(self, message: Reported) -> None:
        text = Text(f"{message.title}\n", style="bold")
        text.append("\n".join(message.lines))
        self.query_one("#pseudo-occurrences", Static).update(text)
        self.reports.append(message)

    def on_changed(self, message: Changed) -> None:
        self.notify(message.note)
        self._load()

    # -- the list -----------------------------------------------------------------------------
    def _highlighted(self) -> PseudonymRow | None:
        table = self.query_one("#pseudo-table", SizedTable)
        index = table.cursor_row
        if not self.rows or index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def _show_context(self) -> None:
        row = self._highlighted()
        if row is None:
            self.query_one("#pseudo-occurrences", Static).update("")
            return
        self._load_context(row.id)

    @on(DataTable.RowHighlighted, "#pseudo-table")
    def _moved(self) -> None:
        self._show_context()

    @on(Select.Changed, "#pseudo-status")
    def _filter_changed(self) -> None:
        self._load()

    # -- actions ------------------------------------------------------------------------------
    def action_set_status(self, status: str) -> None:
        row = self._highlighted()
        if row is None:
            return
        self._write_status([row.id], status, False)
        table = self.query_one("#pseudo-table", SizedTable)
        if table.cursor_row < len(self.rows) - 1:  # on to the next one, as a reviewer reads
            table.move_cursor(row=table.cursor_row + 1)

    def action_accept_all(self) -> None:
        self._write_status([], "accepted", True)

    def action_scan(self) -> None:
        self.notify("scanning the project…")
        self._scan()

    def action_share(self) -> None:
        def answered(path: str | None) -> None:
            if path and path.strip():
                self.query_one("#pseudo-occurrences", Static).update("writing the share package…")
                self._share(path.strip())

        name = slug(project_label(self.ctx.project))
        self.app.push_screen(
            TextPrompt(
                "Share package: replaced text, codings moved, README with the residual risk",
                ".qdpx, .xlsx or .qdc; a folder for CSV files",
                f"exports/{name}-share.qdpx",
            ),
            answered,
        )

    def action_risk(self) -> None:
        def answered(text: str | None) -> None:
            if text is not None:
                self._risk(text)

        self.app.push_screen(
            TextPrompt(
                "Residual risk: quasi-identifiers (participant attributes)",
                "comma-separated, and k=N (default 3), e.g. state,office_type k=3",
                "",
            ),
            answered,
        )

    def action_focus_status(self) -> None:
        self.query_one("#pseudo-status").focus()

    def action_back(self) -> None:
        if self.focused is not self.query_one("#pseudo-table"):
            self.query_one("#pseudo-table").focus()
        elif len(self.app.screen_stack) > 1:
            self.dismiss(None)
