"""The auto-code screen: search (words, regex, spaCy pattern or a speaker's turns), widen hits
to sentences or turns, look at the preview, then code them all as ONE undoable edit through
the app's coding service (``u`` here or in the coding screen undoes it). Posts
:class:`CodingsChanged` after applying or undoing, and :class:`OpenDocument` on Enter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from qualcode.coding.autocode import (
    UNITS,
    AutocodePreview,
    AutocodeQuery,
    PreviewItem,
    autocode_edit,
    list_documents,
    list_speakers,
    preview_autocode,
)
from qualcode.coding.code_entries import CodeEntry, codebook_entries
from qualcode.coding.edits import Undo
from qualcode.errors import QualcodeError
from qualcode.tui.coding_service import Edited, EditFailed
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.codebook_editor import ConfirmScreen
from qualcode.tui.widgets.key_footer import KeyFooter

AUTOCODE = KeyGroup(
    "Auto-code screen",
    (
        Key("autocode.search", "s", "focus_field('#autocode-query')", "Search", show=True),
        Key("autocode.preview", "r", "preview", "Preview", show=True),
        Key("autocode.code", "c", "pick_code", "Choose code", show=True),
        Key("autocode.unit", "t", "cycle_unit", "Unit", show=True),
        Key("autocode.scope", "f", "focus_field('#autocode-scope')", "Documents"),
        Key(
            "autocode.exclude",
            "x",
            "exclude",
            "Exclude",
            show=True,
            help="Leave the highlighted unit out (a false hit); again: take it back",
        ),
        Key("autocode.apply", "a", "apply", "Apply…", show=True),
        Key("autocode.undo", "u", "undo", "Undo", show=True),
        Key("autocode.escape", "escape", "escape", "To the preview / back to the search"),
        Key("autocode.back", "q", "back", "Back", show=True),
    ),
)

#: Enter on a preview item: the list's own "select" action, shown in the footer.
OPEN = Key("autocode.open", "enter", "select", "Open in coding screen", show=True)


class PreviewList(OptionList):
    """The preview; Enter opens the highlighted unit in the coding screen."""

    BINDINGS: ClassVar[list[BindingType]] = [OPEN.binding()]


KINDS: tuple[tuple[str, str], ...] = (
    ("search", "words"),
    ("regex", "regex"),
    ("pattern", "spaCy pattern"),
    ("speaker", "speaker's turns"),
)
PLACEHOLDERS = {
    "search": "words or a phrase; plea* matches any ending",
    "regex": r"a regular expression, e.g. \bplea(d|s)?\b",
    "pattern": '[{"LOWER": "plea"}, {"LOWER": {"IN": ["deal", "bargain"]}}]',
    "speaker": "(choose the speaker on the right)",
}
ALL = "__all__"
MAX_SHOWN = 1000


@dataclass(frozen=True)
class AutocodeRequest:
    kind: str
    text: str
    speaker: str | None
    unit: str
    document_id: int | None
    code_id: int | None

    def query(self) -> AutocodeQuery:
        return AutocodeQuery(
            search=self.text if self.kind == "search" else None,
            regex=self.text if self.kind == "regex" else None,
            pattern=self.text if self.kind == "pattern" else None,
            speaker=self.speaker,
        )


def item_label(item: PreviewItem, excluded: bool = False) -> Text:
    """Where the unit is, then its text with the hits marked (struck out when excluded)."""
    head = Text.assemble(
        (item.document, "bold"),
        f"  {item.participant or ''}",
        (f"  {item.start}-{item.end}", "dim"),
        ("  already coded" if item.already_coded else "", "italic"),
        ("  excluded (x takes it back)" if excluded else "", "bold"),
    )
    text = item.text.replace("\n", " ")
    body = Text("  ")
    pos = 0
    for a, b in item.hits:
        ra, rb = max(a - item.start, pos), min(b - item.start, len(text))
        if ra >= rb:
            continue
        body.append(text[pos:ra])
        body.append(text[ra:rb], style="bold reverse")
        pos = rb
    body.append(text[pos:])
    if excluded:
        body.stylize("dim strike")
    return Text.assemble(head, "\n", body)


def unit_key(item: PreviewItem) -> tuple[int, int, int]:
    return (item.document_id, item.start, item.end)


class AutocodeScreen(Screen[None]):
    """Auto-code. Built as ``AutocodeScreen(ctx)``; ``code_id``, ``document_id`` and ``query``
    fill the form (e.g. from the coding screen's selected code and selected text)."""

    CSS_PATH = "autocode.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*AUTOCODE.bindings()]

    class Loaded(Message):
        def __init__(
            self, entries: list[CodeEntry], documents: list[tuple[int, str]], speakers: list[str]
        ) -> None:
            super().__init__()
            self.entries = entries
            self.documents = documents
            self.speakers = speakers

    class Previewed(Message):
        def __init__(
            self, request: AutocodeRequest, preview: AutocodePreview | None, error: str | None
        ) -> None:
            super().__init__()
            self.request = request
            self.preview = preview
            self.error = error

    def __init__(
        self,
        ctx: AppContext,
        *,
        code_id: int | None = None,
        document_id: int | None = None,
        query: str = "",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.code_id = code_id
        self.initial_document = document_id
        self.initial_query = query
        self.entries: dict[int, CodeEntry] = {}
        self.preview: AutocodePreview | None = None
        self.preview_request: AutocodeRequest | None = None
        self.applying = False
        #: units the user left out of the preview (false hits), kept across re-previews
        self.excluded: set[tuple[int, int, int]] = set()

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="autocode-form"):
            yield Label("Auto-code", id="autocode-title")
            with Horizontal(classes="autocode-row"):
                yield Select[str](
                    [(label, value) for value, label in KINDS],
                    value="search",
                    allow_blank=False,
                    id="autocode-kind",
                    type_to_search=False,
                )
                yield Input(
                    self.initial_query, placeholder=PLACEHOLDERS["search"], id="autocode-query"
                )
            with Horizontal(classes="autocode-row"):
                yield Label("Code:", classes="autocode-label")
                yield Label("(press c to choose)", id="autocode-code")
                yield Select[str](
                    [("any speaker", ALL)],
                    value=ALL,
                    allow_blank=False,
                    id="autocode-speaker",
                    type_to_search=False,
                )
                yield Select[str](
                    [(u, u) for u in UNITS],
                    value="sentence",
                    allow_blank=False,
                    id="autocode-unit",
                    type_to_search=False,
                )
                yield Select[str](
                    [("all documents", ALL)],
                    value=ALL,
                    allow_blank=False,
                    id="autocode-scope",
                    type_to_search=False,
                )
        yield Label("Type a search and press Enter to preview.", id="autocode-summary")
        yield PreviewList(id="autocode-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#autocode-query", Input).focus()
        self._load()

    # -- loading ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="autocode-load")
    def _load(self) -> None:
        with self.ctx.project.session() as s:
            entries = codebook_entries(s)
            docs = list_documents(s)
            speakers = list_speakers(s)
        self.post_message(self.Loaded(entries, docs, speakers))

    def on_autocode_screen_loaded(self, message: Loaded) -> None:
        self.entries = {e.id: e for e in message.entries}
        speaker: Select[str] = self.query_one("#autocode-speaker", Select)
        speaker.set_options([("any speaker", ALL), *((p, p) for p in message.speakers)])
        speaker.value = ALL
        scope: Select[str] = self.query_one("#autocode-scope", Select)
        scope.set_options([("all documents", ALL), *((n, str(i)) for i, n in message.documents)])
        if self.initial_document is not None and any(
            i == self.initial_document for i, _ in message.documents
        ):
            scope.value = str(self.initial_document)
        else:
            scope.value = ALL
        self._show_code()
        if self.initial_query.strip():
            self.action_preview()

    def _show_code(self) -> None:
        label = self.query_one("#autocode-code", Label)
        entry = self.entries.get(self.code_id) if self.code_id is not None else None
        if entry is None:
            label.update("(press c to choose)")
        else:
            label.update(Text.assemble(("■ ", Style(color=entry.colour)), (entry.path, "bold")))

    # -- the request and the preview ----------------------------------------------------------
    def request(self) -> AutocodeRequest:
        def value(selector: str) -> str:
            v = self.query_one(selector, Select).value
            return v if isinstance(v, str) else ALL

        scope = value("#autocode-scope")
        speaker = value("#autocode-speaker")
        return AutocodeRequest(
            kind=value("#autocode-kind"),
            text=self.query_one("#autocode-query", Input).value,
            speaker=None if speaker == ALL else speaker,
            unit=value("#autocode-unit"),
            document_id=None if scope == ALL else int(scope),
            code_id=self.code_id,
        )

    def action_preview(self) -> None:
        req = self.request()
        self._status("searching…")
        self._preview(req)

    @work(thread=True, exclusive=True, group="autocode-preview")
    def _preview(self, req: AutocodeRequest) -> None:
        try:
            with self.ctx.project.session() as s:
                preview = preview_autocode(
                    s,
                    req.query(),
                    unit=req.unit,
                    documents=[req.document_id] if req.document_id is not None else [],
                    code=req.code_id,
                    coder=self.ctx.coder,
                )
        except QualcodeError as exc:
            self.post_message(self.Previewed(req, None, str(exc)))
            return
        self.post_message(self.Previewed(req, preview, None))

    def on_autocode_screen_previewed(self, message: Previewed) -> None:
        items = self.query_one("#autocode-preview", OptionList)
        if message.error is not None or message.preview is None:
            self.preview = None
            self.preview_request = None
            items.clear_options()
            self._status(message.error or "", error=True)
            return
        self.preview, self.preview_request = message.preview, message.request
        pv = message.preview
        shown = pv.items[:MAX_SHOWN]
        items.set_options(
            Option(item_label(i, unit_key(i) in self.excluded), id=str(n))
            for n, i in enumerate(shown)
        )
        if shown:
            items.highlighted = 0
        self._status(self.describe(pv))

    def describe(self, pv: AutocodePreview) -> str:
        docs = len({i.document_id for i in pv.items})
        new = len(self._to_code(pv).new_items)
        text = (
            f"{pv.hits} hit(s) → {len(pv.items)} {pv.unit}(s) in {docs} of "
            f"{pv.documents_searched} document(s); {new} not yet coded"
        )
        left_out = sum(unit_key(i) in self.excluded for i in pv.items)
        if left_out:
            text += f", {left_out} excluded"
        if pv.outside_units:
            text += f"; {pv.outside_units} hit(s) outside any {pv.unit}"
        text += f" · with {pv.code} as {self.ctx.coder}" if pv.code else " · choose a code (c)"
        if len(pv.items) > MAX_SHOWN:
            text += f" · first {MAX_SHOWN} shown"
        return text

    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#autocode-summary", Label)
        label.update(Text(text, style="bold red" if error else ""))
        label.set_class(error, "-error")

    # -- form events --------------------------------------------------------------------------
    @on(Input.Submitted, "#autocode-query")
    def _submitted(self) -> None:
        self.action_preview()
        self.query_one("#autocode-preview", OptionList).focus()

    @on(Select.Changed, "#autocode-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = event.value if isinstance(event.value, str) else "search"
        box = self.query_one("#autocode-query", Input)
        box.placeholder = PLACEHOLDERS.get(kind, "")
        box.disabled = kind == "speaker"
        if kind == "speaker":
            self.query_one("#autocode-speaker", Select).focus()

    @on(Select.Changed, "#autocode-unit, #autocode-scope, #autocode-speaker")
    def _option_changed(self) -> None:
        if self.preview_request is not None and self.request() != self.preview_request:
            self.action_preview()

    @on(OptionList.OptionSelected, "#autocode-preview")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.preview is not None and event.option_index < len(self.preview.items):
            item = self.preview.items[event.option_index]
            self.post_message(OpenDocument(item.document_id, item.start, item.end))

    # -- actions ------------------------------------------------------------------------------
    def action_pick_code(self) -> None:
        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.code_id = code_id
                self._show_code()
                if self.preview_request is not None:
                    self.action_preview()

        self.app.push_screen(
            CodePicker(list(self.entries.values()), title="Auto-code with which code?"), chosen
        )

    def action_cycle_unit(self) -> None:
        select: Select[str] = self.query_one("#autocode-unit", Select)
        current = select.value if isinstance(select.value, str) else UNITS[0]
        select.value = UNITS[(UNITS.index(current) + 1) % len(UNITS)]

    def action_apply(self) -> None:
        if self.applying:
            return
        if self.code_id is None:
            self.notify("Choose the code first (c).", severity="warning")
            return
        if self.preview is None or self.preview_request != self.request():
            self.notify("Preview updated: check it, then press a again.", severity="warning")
            self.action_preview()
            return
        preview = self._to_code(self.preview)
        new = len(preview.new_items)
        if not new:
            self.notify("Nothing new to code.", severity="warning")
            return
        docs = len({i.document_id for i in preview.new_items})

        def answered(yes: bool | None) -> None:
            if yes:
                self.applying = True
                self._status("coding…")
                self._apply(preview)

        self.app.push_screen(
            ConfirmScreen(
                f"Code {new} {preview.unit}(s) in {docs} document(s)?",
                f"with {preview.code} as {self.ctx.coder}. One undo (u) reverts all of them.",
            ),
            answered,
        )

    @work(thread=True, group="autocode-apply")
    def _apply(self, preview: AutocodePreview) -> None:
        """Build the edit (it reads the code) here; the coding service carries it out."""
        try:
            edit = autocode_edit(self.ctx.project, preview, coder=self.ctx.coder)
        except QualcodeError as exc:
            self.post_message(EditFailed(str(exc)))
            return
        self.app.call_from_thread(self.ctx.coding.submit, edit, self)

    def on_edited(self, message: Edited) -> None:
        outcome = message.outcome
        if self.applying:
            self.applying = False
            added = len(outcome.added)
            self.notify(f"{added} coding(s) added. u undoes them all.", title="Auto-code")
        elif not outcome.changed:
            self.notify("Nothing to undo.", severity="warning")
            return
        else:
            self.notify(f"Undone: {outcome.label}", title="Auto-code")
        self.post_message(CodingsChanged(outcome.document_ids))
        if self.preview_request is not None:
            self.action_preview()

    def on_edit_failed(self, message: EditFailed) -> None:
        self.applying = False
        self._status(message.error, error=True)

    def _to_code(self, preview: AutocodePreview) -> AutocodePreview:
        """The preview without the units the user excluded."""
        if not self.excluded:
            return preview
        kept = [i for i in preview.items if unit_key(i) not in self.excluded]
        return replace(preview, items=kept)

    def action_exclude(self) -> None:
        items = self.query_one("#autocode-preview", OptionList)
        index = items.highlighted
        if self.preview is None or index is None or index >= len(self.preview.items):
            self.notify("highlight a unit of the preview first", severity="warning")
            return
        item = self.preview.items[index]
        key = unit_key(item)
        self.excluded.symmetric_difference_update({key})
        items.replace_option_prompt_at_index(index, item_label(item, key in self.excluded))
        self._status(self.describe(self.preview))

    def action_undo(self) -> None:
        self.ctx.coding.submit(Undo(), self)

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_escape(self) -> None:
        """From a field to the preview, from the preview back to the search; never closes the
        screen (q does), so a preview is not lost to one Esc too many."""
        items = self.query_one("#autocode-preview", OptionList)
        if self.focused is not items:
            items.focus()
        else:
            self.query_one("#autocode-query").focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
