"""Caseload review: the caseload shares found in the transcripts are suggestions. Each
participant is listed with the suggested share, its evidence sentence and the current
``csam_share_pct``; the researcher accepts one (enter or ``a``) or corrects it (``e``, or just
type the number). Both call :func:`qualcode.caseload.domain.accept.accept_share`, the function
behind ``qualcode caseload accept``: it sets the attribute and codes the evidence with
"Caseload share statement" as the current coder.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from qualcode.caseload.domain.accept import Accepted, accept_share
from qualcode.caseload.domain.measure import CASELOAD_ATTRIBUTE
from qualcode.caseload.domain.review import ReviewRow, review_rows
from qualcode.errors import QualcodeError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodebookChanged, CodingsChanged, OpenDocument
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.sized_table import SizedColumn, SizedTable

CASELOAD_REVIEW = KeyGroup(
    "Caseload review",
    (
        Key(
            "caseload.accept",
            "a",
            "accept",
            "Accept",
            help="Accept the suggested share: set the attribute and code the evidence",
        ),
        Key(
            "caseload.correct",
            "e",
            "correct",
            "Correct",
            True,
            help="Type the right share (typing a number on the list does the same)",
        ),
        Key(
            "caseload.open",
            "o",
            "open_evidence",
            "Open",
            True,
            help="Open the evidence in its text",
        ),
        Key("caseload.refresh", "r", "reload", "Refresh", help="Find the statements again"),
        Key(
            "caseload.back",
            "q,escape",
            "back",
            "Back",
            True,
            help="Back (or cancel the correction)",
        ),
    ),
)
#: Enter on the list: the table's own "select" action, shown in the footer.
ACCEPT_ENTER = Key("caseload.accept-enter", "enter", "select_cursor", "Accept", show=True)
#: the table's columns: (label, key)
COLUMNS = (
    SizedColumn("participant", "participant"),
    SizedColumn(CASELOAD_ATTRIBUTE, "current"),
    SizedColumn("suggested", "suggested"),
    SizedColumn("status", "status"),
    SizedColumn("document", "document"),
    SizedColumn("evidence", "evidence"),
)
EVIDENCE_WIDTH = 60


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def short(text: str | None, width: int = EVIDENCE_WIDTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def status_text(row: ReviewRow) -> Text:
    style = {
        "accepted": "green",
        "corrected": "green",
        "differs": "bold yellow",
        "to review": "bold",
        "no statement found": "dim",
    }.get(row.status, "")
    return Text(row.status, style=style)


class ShareTable(SizedTable[str | Text]):
    """The participants; Enter accepts the highlighted suggestion."""

    BINDINGS: ClassVar[list[BindingType]] = [ACCEPT_ENTER.binding()]


class CaseloadReviewScreen(DataScreen):
    """Built as ``CaseloadReviewScreen(ctx)``."""

    CSS_PATH = "review_screen.tcss"
    TITLE = "Caseload review"
    BINDINGS: ClassVar[list[BindingType]] = [*CASELOAD_REVIEW.bindings()]

    class Loaded(Message):
        def __init__(self, rows: list[ReviewRow], code_exists: bool, error: str | None) -> None:
            super().__init__()
            self.rows = rows
            self.code_exists = code_exists
            self.error = error

    class Saved(Message):
        """An accept finished: ``result`` or the ``error`` that stopped it."""

        def __init__(self, label: str, result: Accepted | None, error: str | None) -> None:
            super().__init__()
            self.label = label
            self.result = result
            self.error = error

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: dict[str, ReviewRow] = {}
        self.code_exists = True
        self.loaded = False
        #: accepts finished (tests wait on it)
        self.saves_done = 0
        self._write_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Label(
            f"Caseload shares found in the transcripts. Accept each suggestion (enter) or type "
            f"the right share; both set {CASELOAD_ATTRIBUTE} and code the evidence as "
            f"{self.ctx.coder}.",
            id="review-title",
        )
        yield Label("finding caseload statements in the transcripts…", id="review-status")
        yield ShareTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="review-evidence")
        with Horizontal(id="review-edit"):
            yield Label("", id="review-edit-label")
            # the digit that opened the correction stays: typing goes on after it
            yield Input(
                placeholder="share in percent, 0-100",
                type="number",
                select_on_focus=False,
                id="review-value",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(ShareTable)
        table.fill(COLUMNS, [])
        table.focus()
        self._load()

    # -- loading ----------------------------------------------------------------------------------
    def reload_data(self) -> None:
        """Find the statements again."""
        self._status("finding caseload statements in the transcripts…")
        self._load()

    @work(thread=True, exclusive=True, group="caseload-review")
    def _load(self) -> None:
        try:
            rows, code_exists = review_rows(self.ctx.project)
        except QualcodeError as exc:
            self.post_message(self.Loaded([], True, str(exc)))
            return
        self.post_message(self.Loaded(rows, code_exists, None))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.error is not None:
            self._status(message.error, error=True)
            return
        self.code_exists = message.code_exists
        self.rows = {row.label: row for row in message.rows}
        table = self.query_one(ShareTable)
        keep = self._current_label()
        table.fill(COLUMNS, [(row.label, self._cells(row)) for row in message.rows])
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self.loaded = True
        found = sum(1 for r in message.rows if r.suggestion.estimate is not None)
        todo = sum(1 for r in message.rows if r.status in ("to review", "differs"))
        self._status(
            f"{len(message.rows)} participant(s); a statement found for {found}; {todo} to review"
            if message.rows
            else "no participants in this project"
        )
        self._show_evidence()

    def _cells(self, row: ReviewRow) -> list[str | Text]:
        s = row.suggestion
        est = s.estimate
        suggested = number(est.share_pct if est else None)
        if est is not None and est.low != est.high:
            suggested += f" ({est.low:g}-{est.high:g})"
        return [  # names and transcript text as Text: a DataTable reads str cells as markup
            Text(s.participant),
            Text(number(s.current), justify="right"),
            Text(suggested, justify="right"),
            status_text(row),
            Text(s.document or ""),
            Text(short(est.evidence if est else None)),
        ]

    # -- the highlighted row ----------------------------------------------------------------------
    def _current_label(self) -> str | None:
        table = self.query_one(ShareTable)
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def _current(self) -> ReviewRow | None:
        label = self._current_label()
        return self.rows.get(label) if label is not None else None

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_evidence()

    def _show_evidence(self) -> None:
        row = self._current()
        panel = self.query_one("#review-evidence", Static)
        if row is None:
            panel.update("")
            return
        est = row.suggestion.estimate
        if est is None:
            panel.update(
                Text.assemble(
                    (row.label, "bold"),
                    ": no statement of the caseload share was found; press e to type it.",
                )
            )
            return
        panel.update(
            Text.assemble(
                (f"{row.label}  {row.suggestion.document}  {est.start}-{est.end}\n", "bold"),
                ("“" + " ".join(est.evidence.split()) + "”", "italic"),
                (f"\nfound: {est.match!r} → {est.share_pct:g}%", "dim"),
            )
        )

    # -- accepting and correcting -----------------------------------------------------------------
    @on(DataTable.RowSelected, "#review-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.suggestion.estimate is None:
            self._status(f"no statement for {row.label}: type the share", error=True)
            self._open_editor(row, "")
            return
        self._save(row.label, None)

    def action_correct(self) -> None:
        row = self._current()
        if row is not None:
            est = row.suggestion.estimate
            start = row.suggestion.current if est is None else est.share_pct
            self._open_editor(row, "" if start is None else f"{start:g}")

    def on_key(self, event: events.Key) -> None:
        """A digit typed on the list starts a correction with that digit."""
        char = event.character
        if char and char.isdigit() and self.focused is self.query_one(ShareTable):
            row = self._current()
            if row is not None:
                event.stop()
                self._open_editor(row, char)

    def _open_editor(self, row: ReviewRow, text: str) -> None:
        self.query_one("#review-edit-label", Label).update(f"{row.label}: {CASELOAD_ATTRIBUTE} =")
        self.query_one("#review-edit").add_class("-open")
        field = self.query_one("#review-value", Input)
        field.value = text
        field.cursor_position = len(text)
        field.focus()

    def _close_editor(self) -> None:
        self.query_one("#review-edit").remove_class("-open")
        self.query_one(ShareTable).focus()

    @property
    def editing(self) -> bool:
        return self.query_one("#review-edit").has_class("-open")

    @on(Input.Submitted, "#review-value")
    def _submitted(self, event: Input.Submitted) -> None:
        row = self._current()
        if row is None:
            return
        try:
            value = float(event.value.strip())
        except ValueError:
            self._status(f"not a number: {event.value!r}", error=True)
            return
        self._close_editor()
        self._save(row.label, value)

    def _save(self, label: str, value: float | None) -> None:
        self._status(f"saving {label}…")
        self._accept(label, value)

    @work(thread=True, group="caseload-accept")
    def _accept(self, label: str, value: float | None) -> None:
        with self._write_lock:
            try:
                result = accept_share(self.ctx.project, label, coder=self.ctx.coder, value=value)
            except QualcodeError as exc:
                self.post_message(self.Saved(label, None, str(exc)))
                return
        self.post_message(self.Saved(label, result, None))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saves_done += 1
        result = message.result
        if result is None:
            self._status(f"{message.label}: {message.error}", error=True)
            return
        old = self.rows.get(result.participant)
        if old is not None:
            row = ReviewRow(
                replace(old.suggestion, current=result.value),
                old.document_id,
                old.coded or result.coding_id is not None,
            )
            self.rows[row.label] = row
            table = self.query_one(ShareTable)
            for column, cell in zip(COLUMNS, self._cells(row), strict=True):
                table.update_cell(row.label, column.key, cell)
            if result.coding_created and row.document_id is not None:
                self.post_message(CodingsChanged(frozenset({row.document_id})))
        if result.coding_id is not None and not self.code_exists:
            self.code_exists = True
            self.post_message(CodebookChanged())
        msg = f"{result.participant}: {CASELOAD_ATTRIBUTE} = {result.value:g}"
        if result.previous is not None and result.previous != result.value:
            msg += f" (was {result.previous:g})"
        if result.coding_id is not None:
            msg += f"; evidence coded in {result.document} as {self.ctx.coder}"
        self._status(msg)
        self._next_row(result.participant)

    def _next_row(self, label: str) -> None:
        table = self.query_one(ShareTable)
        if self._current_label() == label and table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    # -- other actions ----------------------------------------------------------------------------
    def action_open_evidence(self) -> None:
        row = self._current()
        est = row.suggestion.estimate if row is not None else None
        if row is None or est is None or row.document_id is None:
            self._status("no evidence to open", error=True)
            return
        self.post_message(OpenDocument(row.document_id, est.start, est.end))

    def action_reload(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        if self.editing:
            self._close_editor()
            self._status("correction cancelled")
        else:
            self.dismiss()

    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#review-status", Label)
        label.update(text)
        label.set_class(error, "-error")
