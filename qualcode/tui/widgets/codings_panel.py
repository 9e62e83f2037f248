"""The side panel of the coding screen: codings at the cursor, and all codings in the document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from qualcode.coding.code_entries import CodeEntry
from qualcode.coding.document_view import CodingInfo
from qualcode.tui.widgets.coding_list import CodingList

EXCERPT = 34


def coding_label(
    coding: CodingInfo, code: CodeEntry | None, text: str, *, show_coder: bool, lines: int = 2
) -> Text:
    """``■ Code path  coder ✎`` and an excerpt of the coded text (on a second line, or after)."""
    colour = code.colour if code is not None else "#888888"
    name = code.path if code is not None else f"code {coding.code_id}"
    excerpt = " ".join(text[coding.start : min(coding.end, coding.start + 200)].split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    parts = [Text("■ ", style=Style(color=colour)), Text(name, style="bold")]
    if show_coder:
        parts.append(Text(f"  {coding.coder}", style="italic"))
    if coding.memo:
        parts.append(Text("  ✎", style="bold"))
    parts.append(Text(("\n  " if lines > 1 else "  ") + excerpt, style="dim"))
    return Text.assemble(*parts)


class CodingsPanel(Vertical):
    """Two lists; the owner sets their contents, the panel reports what the user picks."""

    class Focused(Message):
        """The user highlighted a coding at the cursor: the one the coding actions act on."""

        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    class Jump(Message):
        """The user chose a coding in the document list: move the cursor to it."""

        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    def compose(self) -> ComposeResult:
        yield Label("At the cursor", classes="panel-title", id="at-cursor-title")
        yield CodingList(lines=3, id="at-cursor")
        yield Label("In this document", classes="panel-title", id="in-document-title")
        yield CodingList(id="in-document")

    def show_at_cursor(
        self,
        codings: Sequence[CodingInfo],
        codes: Mapping[int, CodeEntry],
        text: str,
        *,
        focus_id: int | None,
        show_coder: bool,
    ) -> None:
        def label(c: CodingInfo) -> Text:
            return coding_label(c, codes.get(c.code_id), text, show_coder=show_coder)

        self.query_one("#at-cursor", CodingList).set_rows(codings, label, cursor_id=focus_id)
        self.query_one("#at-cursor-title", Label).update(
            f"At the cursor ({len(codings)})", layout=False
        )

    def show_document(
        self,
        codings: Sequence[CodingInfo],
        codes: Mapping[int, CodeEntry],
        text: str,
        *,
        show_coder: bool,
    ) -> None:
        def label(c: CodingInfo) -> Text:
            return coding_label(c, codes.get(c.code_id), text, show_coder=show_coder, lines=1)

        self.query_one("#in-document", CodingList).set_rows(codings, label)
        self.query_one("#in-document-title", Label).update(
            f"In this document ({len(codings)})", layout=False
        )

    def on_coding_list_highlighted(self, event: CodingList.Highlighted) -> None:
        event.stop()
        if event.control.id == "at-cursor":
            self.post_message(self.Focused(event.coding_id))

    def on_coding_list_chosen(self, event: CodingList.Chosen) -> None:
        event.stop()
        self.post_message(self.Jump(event.coding_id))
