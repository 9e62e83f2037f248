"""The memo screen: every memo of the project (on the project, a document, a passage of one, a
code or a coding) in one list, with a search and filters by coder and by target. Enter opens
the memo's target: a document, passage or coding in the coding screen (posts
:class:`OpenDocument` with its span), a code in the retrieval screen."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from qualcode.coding.memos import TARGETS, MemoRow, filter_memos, memo_rows
from qualcode.store.db import StoreError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.widgets.key_footer import KeyFooter

MEMO_LIST = KeyGroup(
    "Memo screen",
    (
        Key("memos.search", "slash", "focus_field('#memos-search')", "Search", show=True),
        Key("memos.coder", "v", "focus_field('#memos-coder')", "Coder", show=True),
        Key("memos.target", "o", "focus_field('#memos-target')", "On (target)", show=True),
        Key("memos.escape", "escape", "escape", "Back to the list / close"),
        Key("memos.back", "q", "back", "Back", show=True),
    ),
)

#: Enter on a memo: the list's own "select" action, shown in the footer.
OPEN = Key("memos.open", "enter", "select", "Open target", show=True)
ALL = "__all__"
TARGET_NAMES = {"annotation": "passage (annotation)"}


class MemoOptions(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [OPEN.binding()]


def memo_label(row: MemoRow) -> Text:
    """Two lines: what the memo is on, who wrote it and when; then its first line."""
    head = Text.assemble(
        (f"{row.target:<10} ", "bold"),
        (row.about, ""),
        (f"  {row.coder or '-'}  {row.updated_at:%Y-%m-%d}", "dim"),
    )
    first = next((line for line in row.body.splitlines() if line.strip()), "")
    title = f"{row.title}: " if row.title else ""
    return Text.assemble(head, "\n  ", (title, "bold"), (first, "italic"))


class MemoListScreen(DataScreen):
    """Every memo; built as ``MemoListScreen(ctx)``."""

    CSS_PATH = "memo_list.tcss"
    BINDINGS: ClassVar[list[BindingType]] = MEMO_LIST.bindings()
    KEY_GROUPS = (MEMO_LIST, KeyGroup("Memo list", (OPEN,)))

    class Loaded(Message):
        def __init__(self, rows: list[MemoRow]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.all_rows: list[MemoRow] = []
        #: the memos shown, in list order
        self.rows: list[MemoRow] = []
        #: reads shown (tests wait on it)
        self.loads_done = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="memos-form"):
            yield Input(placeholder="search memos (/)", id="memos-search")
            yield Select[str](
                [("all coders", ALL)],
                value=ALL,
                allow_blank=False,
                id="memos-coder",
                type_to_search=False,
            )
            yield Select[str](
                [("on anything", ALL), *((TARGET_NAMES.get(t, t), t) for t in TARGETS)],
                value=ALL,
                allow_blank=False,
                id="memos-target",
                type_to_search=False,
            )
        yield Label("", id="memos-summary")
        yield MemoOptions(id="memos-list")
        with VerticalScroll(id="memos-preview"):
            yield Static("", id="memos-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#memos-list", OptionList).focus()
        self._load()

    def reload_data(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="memos-load")
    def _load(self) -> None:
        try:
            with self.ctx.project.session() as s:
                rows = memo_rows(s)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, f"could not read memos: {exc}", severity="error")
            return
        self.post_message(self.Loaded(rows))

    def on_memo_list_screen_loaded(self, message: Loaded) -> None:
        self.all_rows = message.rows
        coders = sorted({r.coder for r in message.rows if r.coder})
        select: Select[str] = self.query_one("#memos-coder", Select)
        keep = select.value
        select.set_options([("all coders", ALL), *((c, c) for c in coders)])
        select.value = keep if isinstance(keep, str) and keep in coders else ALL
        self._show()
        self.loads_done += 1

    # -- the list -----------------------------------------------------------------------------
    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) and value != ALL else None

    def _show(self) -> None:
        keep = self._highlighted()
        self.rows = filter_memos(
            self.all_rows,
            text=self.query_one("#memos-search", Input).value,
            coder=self._choice("#memos-coder"),
            target=self._choice("#memos-target"),
        )
        listing = self.query_one("#memos-list", OptionList)
        listing.set_options(Option(memo_label(r), id=str(r.id)) for r in self.rows)
        if self.rows:
            ids = [r.id for r in self.rows]
            listing.highlighted = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        self.query_one("#memos-summary", Label).update(
            f"{len(self.rows)} of {len(self.all_rows)} memo(s) · Enter opens what a memo is on"
        )
        self._preview()

    def _highlighted(self) -> MemoRow | None:
        index = self.query_one("#memos-list", OptionList).highlighted
        if index is None or index >= len(self.rows):
            return None
        return self.rows[index]

    def _preview(self) -> None:
        row = self._highlighted()
        body = self.query_one("#memos-body", Static)
        if row is None:
            body.update("")
            return
        head = Text(f"{row.title}\n" if row.title else "", style="bold")
        body.update(Text.assemble(head, row.body))

    @on(OptionList.OptionHighlighted, "#memos-list")
    def _moved(self) -> None:
        self._preview()

    @on(Input.Changed, "#memos-search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#memos-search")
    def _search_submitted(self) -> None:
        self.query_one("#memos-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#memos-list")
    def _chosen(self) -> None:
        self.action_open_target()

    # -- actions ------------------------------------------------------------------------------
    def action_open_target(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        if row.target in ("document", "annotation", "coding") and row.document_id is not None:
            self.post_message(OpenDocument(row.document_id, row.start, row.end))
        elif row.target == "code" and row.code_id is not None:
            self.app.push_screen(RetrievalScreen(self.ctx, code_id=row.code_id))
        else:
            self.notify("a memo on the project is on no passage: it is shown in full below")

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_escape(self) -> None:
        listing = self.query_one("#memos-list", OptionList)
        if self.focused is not listing:
            listing.focus()
        else:
            self.action_back()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
