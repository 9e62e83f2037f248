"""A one-line question in a box: a new name, a file to save to, turn labels, ``key=value``
pairs. Enter answers (dismisses with the text), Esc cancels (dismisses with None)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qualcode.tui.keys import Key, KeyGroup

#: Enter is the input's own (it answers); Esc cancels.
PROMPT = KeyGroup("Question", (Key("prompt.cancel", "escape", "cancel", "Cancel", show=True),))


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; ``value`` is where it starts."""

    CSS_PATH = "text_prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = PROMPT.bindings()

    def __init__(self, title: str, hint: str = "", value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            # as Text: names and paths may hold brackets, which a str would read as markup
            yield Label(Text(self.title_text), id="prompt-title")
            if self.hint:
                yield Label(Text(self.hint), id="prompt-hint")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("Enter answers · Esc cancels", id="prompt-keys")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def _answered(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
