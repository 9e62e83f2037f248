"""A fuzzy code picker: type part of a code's path, Enter to choose. Returns the code id."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.coding.code_entries import CodeEntry
from qualcode.tui.keys import PICKER
from qualcode.tui.widgets.codebook_tree import code_label
from qualcode.tui.widgets.key_footer import KeyFooter


def rank_codes(entries: Sequence[CodeEntry], query: str) -> list[CodeEntry]:
    """Codes matching ``query`` (fuzzy, on path and key), best first; all codes for no query."""
    query = query.strip()
    if not query:
        return list(entries)
    matcher = Matcher(query)
    scored = []
    for order, entry in enumerate(entries):
        score = matcher.match(entry.path)
        if entry.key and query == entry.key:
            score = max(score, 2.0)
        if score > 0:
            scored.append((-score, order, entry))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [entry for _, _, entry in scored]


class CodePicker(ModalScreen[int | None]):
    """Pick a code by typing; dismisses with the code id, or None on escape."""

    BINDINGS = PICKER.bindings()

    def __init__(self, entries: Sequence[CodeEntry], *, title: str = "Code the selection") -> None:
        super().__init__()
        self.entries = list(entries)
        self.title_text = title
        self._shown: list[CodeEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder="type part of a code's name", id="picker-input")
            yield OptionList(id="picker-options")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    def _fill(self, query: str) -> None:
        self._shown = rank_codes(self.entries, query)
        options = self.query_one("#picker-options", OptionList)
        options.set_options(Option(self._label(entry), id=str(entry.id)) for entry in self._shown)
        if self._shown:
            options.highlighted = 0

    def _label(self, entry: CodeEntry) -> Text:
        label = code_label(entry)
        if "/" in entry.path:
            label.append(f"  {entry.path.rsplit('/', 1)[0]}", style="dim")
        return label

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        self.action_choose()

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id))

    def action_choose(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        option = options.highlighted_option
        if option is not None and option.id:
            self.dismiss(int(option.id))

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
