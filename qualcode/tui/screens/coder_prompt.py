"""Asked on first start when no coder was given: who is coding? Dismisses with the name."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from qualcode.coding.coders import MAX_CODER_NAME


class CoderPrompt(ModalScreen[str]):
    """Type a name (or pick a known coder) and press Enter."""

    def __init__(self, known: Sequence[str] = ()) -> None:
        super().__init__()
        self.known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="coder-prompt"):
            yield Label("Who is coding?", id="coder-title")
            yield Label(
                "Your codings are kept apart from other coders'. qualcode remembers your "
                "name for this project in your own settings (not in the project, which others "
                "may share); start with --coder NAME to code as someone else.",
                id="coder-hint",
            )
            yield Input(placeholder="your name or initials", max_length=MAX_CODER_NAME, id="coder")
            if self.known:
                yield Label("or continue as:", id="coder-known-title")
                yield OptionList(*self.known, id="coder-known")

    def on_mount(self) -> None:
        self.query_one("#coder", Input).focus()

    @on(Input.Submitted, "#coder")
    def _typed(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("type a name first", severity="warning")
            return
        self.dismiss(name)

    @on(OptionList.OptionSelected, "#coder-known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.known[event.option_index])
