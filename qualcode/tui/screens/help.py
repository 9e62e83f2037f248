"""The help screen: every key binding, read from the key map, and the codes' own keys."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from qualcode.codebook.model import RESERVED_KEYS
from qualcode.coding.code_entries import CodeEntry
from qualcode.tui.keys import HELP, KeyGroup
from qualcode.tui.widgets.key_footer import KeyFooter


def group_table(group: KeyGroup) -> Table:
    table = Table(title=group.title, title_justify="left", expand=True, show_header=False)
    table.add_column("keys", style="bold", width=26, no_wrap=True)
    table.add_column("action", ratio=1)
    for key in group.keys:
        table.add_row(key.display, key.long)
    return table


def codes_table(entries: Sequence[CodeEntry]) -> Table:
    table = Table(title="Codes (coding screen)", title_justify="left", expand=True)
    table.add_column("key", style="bold", width=5)
    table.add_column("code", ratio=1)
    for entry in entries:
        if entry.key:
            table.add_row(entry.key, Text(entry.path, style=entry.colour))
    reserved = " ".join(sorted(RESERVED_KEYS))
    table.caption = f"keys {reserved} are the coding screen's own; codes use the others"
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = HELP.bindings()

    def __init__(self, groups: Sequence[KeyGroup], codes: Sequence[CodeEntry] = ()) -> None:
        super().__init__()
        self.groups = list(groups)
        self.codes = list(codes)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Label("qualcode keys", id="help-title")
            for group in self.groups:
                yield Static(group_table(group), classes="help-group")
            if any(c.key for c in self.codes):
                yield Static(codes_table(self.codes), classes="help-group")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
