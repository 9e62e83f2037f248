"""The retrieval screen (the "coding report"): every segment coded with a code or code group,
in context, filtered by participant attributes, coder and document. Enter opens a segment in the
coding screen (posts :class:`OpenDocument`)."""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from qualcode.coding.code_entries import CodeEntry, codebook_entries
from qualcode.coding.retrieval import (
    RetrievalChoices,
    RetrievalSummary,
    Retrieved,
    retrieval_choices,
    retrieve,
    summarise,
)
from qualcode.errors import QualcodeError, first_line
from qualcode.interop.export_all import slug
from qualcode.interop.retrieval_export import save_retrieved
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.widgets.key_footer import KeyFooter

RETRIEVAL = KeyGroup(
    "Retrieval screen",
    (
        Key("retrieval.code", "c", "pick_code", "Choose code", show=True),
        Key("retrieval.group", "g", "focus_field('#retrieval-group')", "Choose code group"),
        Key("retrieval.descendants", "a", "toggle_descendants", "With sub-codes", show=True),
        Key(
            "retrieval.where",
            "w",
            "focus_field('#retrieval-where')",
            "Attribute filters",
            show=True,
        ),
        Key("retrieval.coder", "v", "focus_field('#retrieval-coder')", "Coder"),
        Key("retrieval.document", "f", "focus_field('#retrieval-document')", "Document"),
        Key("retrieval.context", "t", "cycle_context", "Context size", show=True),
        Key("retrieval.run", "r", "run", "Run again"),
        Key(
            "retrieval.save",
            "s,ctrl+s",
            "save",
            "Save results",
            key_display="s",
            help="Save the results to a CSV file or an Excel workbook (.csv / .xlsx)",
        ),
        Key("retrieval.escape", "escape", "escape", "Back to the list / close"),
        Key("retrieval.back", "q", "back", "Back", show=True),
    ),
)

#: Enter on a result: the result list's own "select" action, shown in the footer.
OPEN = Key("retrieval.open", "enter", "select", "Open in coding screen", show=True)


class ResultList(OptionList):
    """The results; Enter opens the highlighted segment in the coding screen."""

    BINDINGS: ClassVar[list[BindingType]] = [OPEN.binding()]


CONTEXTS: tuple[tuple[str, str], ...] = (
    ("sentence", "sentence"),
    ("turn", "speaker turn"),
    ("paragraph", "paragraph"),
    ("60", "60 characters"),
    ("200", "200 characters"),
)
MAX_SHOWN = 2000
ALL = "__all__"


@dataclass(frozen=True)
class RetrievalRequest:
    """The form's state: what to retrieve."""

    code_id: int | None
    group: str | None
    descendants: bool
    where: tuple[str, ...]
    coder: str | None
    document_id: int | None
    context: str


def parse_where(text: str) -> list[str]:
    """Filters typed on one line: ``state=Ohio office_type=county``, quoting values with
    spaces (``state="New York"``)."""
    try:
        return shlex.split(text)
    except ValueError as exc:
        raise QualcodeError(f"filters: {exc}") from None


def result_label(row: Retrieved, colour: str) -> Text:
    """Two or more lines: where the segment is, then the context with the coded part marked."""
    head = Text.assemble(
        ("■ ", Style(color=colour)),
        (row.document, "bold"),
        f"  {row.participant or ''}",
        (f"  {row.speaker}" if row.speaker and row.speaker != row.participant else "", "italic"),
        (f"  {row.code}", "bold"),
        (f"  {row.coder}  {row.start}-{row.end}", "dim"),
    )
    body = Text("  ")
    before = " ".join(row.before.split())
    after = " ".join(row.after.split())
    body.append(before + (" " if before and row.before[-1:].isspace() else ""), style="dim")
    body.append(" ".join(row.text.split()), style="bold reverse")
    body.append((" " if after and row.after[:1].isspace() else "") + after, style="dim")
    if row.memo:
        body.append(f"\n  ✎ {row.memo}", style="italic")
    return Text.assemble(head, "\n", body)


class RetrievalScreen(DataScreen):
    """Coded segments by code. Built as ``RetrievalScreen(ctx)``; ``code_id`` preselects a code."""

    CSS_PATH = "retrieval.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*RETRIEVAL.bindings()]

    class Loaded(Message):
        """The codebook and the choices for the form, read in a worker."""

        def __init__(self, entries: list[CodeEntry], choices: RetrievalChoices) -> None:
            super().__init__()
            self.entries = entries
            self.choices = choices

    class Results(Message):
        def __init__(
            self,
            request: RetrievalRequest,
            rows: list[Retrieved],
            summary: RetrievalSummary | None,
            error: str | None = None,
        ) -> None:
            super().__init__()
            self.request = request
            self.rows = rows
            self.summary = summary
            self.error = error

    def __init__(self, ctx: AppContext, *, code_id: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.code_id = code_id
        self.entries: dict[int, CodeEntry] = {}
        self.rows: list[Retrieved] = []
        #: every row of the last results (``rows`` holds the first MAX_SHOWN); saving writes all
        self.all_rows: list[Retrieved] = []
        #: the file the results were last saved to (tests wait on it)
        self.saved_to: Path | None = None
        self.last_request: RetrievalRequest | None = None

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="retrieval-form"):
            yield Label("Retrieval", id="retrieval-title")
            with Horizontal(classes="retrieval-row"):
                yield Label("Code:", classes="retrieval-label")
                yield Label("(press c to choose)", id="retrieval-code")
                yield Select[str](
                    [], prompt="no code group", id="retrieval-group", type_to_search=False
                )
                yield Checkbox("with sub-codes", id="retrieval-descendants")
            with Horizontal(classes="retrieval-row"):
                yield Input(
                    placeholder="filters: state=Ohio office_type=county years_experience>=10",
                    id="retrieval-where",
                )
                yield Select[str](
                    [("all coders", ALL)],
                    value=ALL,
                    allow_blank=False,
                    id="retrieval-coder",
                    type_to_search=False,
                )
                yield Select[str](
                    [("all documents", ALL)],
                    value=ALL,
                    allow_blank=False,
                    id="retrieval-document",
                    type_to_search=False,
                )
                yield Select[str](
                    [(label, value) for value, label in CONTEXTS],
                    value=CONTEXTS[0][0],
                    allow_blank=False,
                    id="retrieval-context",
                    type_to_search=False,
                )
        yield Label("", id="retrieval-summary")
        yield ResultList(id="retrieval-results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#retrieval-results", OptionList).focus()
        self._load()

    def reload_data(self) -> None:
        self._load()

    # -- loading ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="retrieval-load")
    def _load(self) -> None:
        with self.ctx.project.session() as s:
            entries = codebook_entries(s)
            choices = retrieval_choices(s)
        self.post_message(self.Loaded(entries, choices))

    def on_retrieval_screen_loaded(self, message: Loaded) -> None:
        self.entries = {e.id: e for e in message.entries}
        if self.code_id is not None and self.code_id not in self.entries:
            self.code_id = None
        choices = message.choices
        self._set_options("#retrieval-group", [(g, g) for g in choices.code_groups], blank=True)
        self._set_options(
            "#retrieval-coder", [(ALL, "all coders"), *((c, c) for c in choices.coders)]
        )
        self._set_options(
            "#retrieval-document",
            [(ALL, "all documents"), *((str(i), n) for i, n in choices.documents)],
        )
        where = self.query_one("#retrieval-where", Input)
        names = ", ".join(["participant", *choices.attributes])
        where.tooltip = f"attributes: {names}"
        self._show_code()
        self.action_run()

    def _set_options(
        self, selector: str, options: list[tuple[str, str]], *, blank: bool = False
    ) -> None:
        select: Select[str] = self.query_one(selector, Select)
        keep = select.value
        select.set_options([(label, value) for value, label in options])
        if any(value == keep for value, _ in options):
            select.value = keep
        elif not blank:
            select.value = options[0][0]

    def _show_code(self) -> None:
        label = self.query_one("#retrieval-code", Label)
        entry = self.entries.get(self.code_id) if self.code_id is not None else None
        if entry is None:
            label.update("(press c to choose)")
            return
        label.update(Text.assemble(("■ ", Style(color=entry.colour)), (entry.path, "bold")))

    # -- the request --------------------------------------------------------------------------
    def request(self) -> RetrievalRequest:
        group = self.query_one("#retrieval-group", Select).value
        coder = self.query_one("#retrieval-coder", Select).value
        document = self.query_one("#retrieval-document", Select).value
        context = self.query_one("#retrieval-context", Select).value
        return RetrievalRequest(
            code_id=self.code_id,
            group=group if isinstance(group, str) else None,
            descendants=self.query_one("#retrieval-descendants", Checkbox).value,
            where=tuple(parse_where(self.query_one("#retrieval-where", Input).value)),
            coder=coder if isinstance(coder, str) and coder != ALL else None,
            document_id=int(document) if isinstance(document, str) and document != ALL else None,
            context=context if isinstance(context, str) else CONTEXTS[0][0],
        )

    def action_run(self, force: bool = True) -> None:
        """Retrieve with the form's settings (``force=False``: only if they changed)."""
        try:
            req = self.request()
        except QualcodeError as exc:
            self._status(str(exc), error=True)
            return
        if not force and req == self.last_request:
            return
        self.last_request = req
        if req.code_id is None and req.group is None:
            self.rows = self.all_rows = []
            self.query_one("#retrieval-results", OptionList).clear_options()
            self._status("Choose a code (c) or a code group (g).")
            return
        self._status("retrieving…")
        self._retrieve(req)

    @work(thread=True, exclusive=True, group="retrieval")
    def _retrieve(self, req: RetrievalRequest) -> None:
        try:
            with self.ctx.project.session() as s:
                rows = retrieve(
                    s,
                    codes=[req.code_id] if req.code_id is not None else [],
                    group=req.group,
                    descendants=req.descendants,
                    where=req.where,
                    coders=[req.coder] if req.coder else [],
                    documents=[req.document_id] if req.document_id is not None else [],
                    context=int(req.context) if req.context.isdigit() else req.context,
                )
        except QualcodeError as exc:
            self.post_message(self.Results(req, [], None, str(exc)))
            return
        self.post_message(self.Results(req, rows, summarise(rows)))

    def on_retrieval_screen_results(self, message: Results) -> None:
        results = self.query_one("#retrieval-results", OptionList)
        if message.error is not None:
            self._status(message.error, error=True)
            return
        self.all_rows = message.rows
        self.rows = message.rows[:MAX_SHOWN]
        results.set_options(
            Option(result_label(r, self._colour(r.code_id)), id=str(i))
            for i, r in enumerate(self.rows)
        )
        if self.rows:
            results.highlighted = 0
        summary = message.summary
        assert summary is not None
        text = (
            f"{summary.segments} segment(s) in {summary.documents} document(s) "
            f"from {summary.participants} participant(s)"
        )
        if message.request.where:
            text += "  · " + " ".join(message.request.where)
        if len(message.rows) > MAX_SHOWN:
            text += f"  · first {MAX_SHOWN} shown"
        self._status(text)

    def _colour(self, code_id: int) -> str:
        entry = self.entries.get(code_id)
        return entry.colour if entry is not None else "#888888"

    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#retrieval-summary", Label)
        label.update(Text(text, style="bold red" if error else ""))
        label.set_class(error, "-error")

    # -- form events --------------------------------------------------------------------------
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _form_changed(self) -> None:
        if self.entries:
            self.action_run(force=False)

    @on(Input.Submitted, "#retrieval-where")
    def _where_submitted(self) -> None:
        self.action_run()
        self.query_one("#retrieval-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#retrieval-results")
    def _chosen(self) -> None:
        self.action_open_segment()

    # -- actions ------------------------------------------------------------------------------
    def action_open_segment(self) -> None:
        results = self.query_one("#retrieval-results", OptionList)
        index = results.highlighted
        if index is None or index >= len(self.rows):
            return
        row = self.rows[index]
        self.post_message(OpenDocument(row.document_id, row.start, row.end))

    def action_pick_code(self) -> None:
        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.code_id = code_id
                self._show_code()
                self.action_run()

        self.app.push_screen(
            CodePicker(list(self.entries.values()), title="Retrieve which code?"), chosen
        )

    def action_save(self) -> None:
        """Ask for a file (.csv or .xlsx) and save every result there."""
        if not self.all_rows:
            self.notify("nothing to save: retrieve some segments first", severity="warning")
            return
        entry = self.entries.get(self.code_id) if self.code_id is not None else None
        what = entry.path if entry is not None else (self.last_request and self.last_request.group)
        name = f"retrieved-{slug(what or 'segments', 'segments')}-{dt.date.today().isoformat()}"
        rows = list(self.all_rows)

        def chosen(path: str | None) -> None:
            if path and path.strip():
                self._save(rows, path.strip())

        self.app.push_screen(
            TextPrompt(
                f"Save {len(rows)} segment(s)",
                "A .csv file or an .xlsx workbook; the name's ending says which.",
                f"{name}.xlsx",
            ),
            chosen,
        )

    @work(thread=True, group="retrieval-save")
    def _save(self, rows: list[Retrieved], path: str) -> None:
        try:
            result = save_retrieved(rows, path)
        except (QualcodeError, OSError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._saved, result.path, len(rows))

    def _saved(self, path: Path, n: int) -> None:
        self.saved_to = path
        self.notify(f"saved {n} segment(s) to {path}", markup=False)

    def action_toggle_descendants(self) -> None:
        box = self.query_one("#retrieval-descendants", Checkbox)
        box.value = not box.value

    def action_cycle_context(self) -> None:
        select: Select[str] = self.query_one("#retrieval-context", Select)
        values = [v for v, _ in CONTEXTS]
        current = select.value if isinstance(select.value, str) else values[0]
        select.value = values[(values.index(current) + 1) % len(values)]

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_escape(self) -> None:
        results = self.query_one("#retrieval-results", OptionList)
        if self.focused is not results:
            results.focus()
        else:
            self.action_back()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
