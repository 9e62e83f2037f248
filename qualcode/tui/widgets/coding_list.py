"""A long list of codings, one line each, rendered lazily (Line API): only the rows on screen
are formatted, so a document with thousands of codings updates at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.coding.queries import CodingInfo
from qualcode.tui.keys import CODING_LIST

Label = Callable[[CodingInfo], Text]


class CodingList(ScrollView, can_focus=True):
    """Rows of codings; the owner sets them with a function that labels one coding."""

    BINDINGS = CODING_LIST.bindings()
    COMPONENT_CLASSES: ClassVar[set[str]] = {"coding-list--cursor"}

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        """Enter (or a click) on a row."""

        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[CodingInfo] = []
        self._label: Label = lambda c: Text(str(c.id))
        self._cache: dict[int, Text] = {}

    def set_rows(self, rows: Sequence[CodingInfo], label: Label) -> None:
        """Show these codings; the cursor stays on the same coding when it is still there."""
        keep = self.rows[self.cursor].id if 0 <= self.cursor < len(self.rows) else None
        self.rows = list(rows)
        self._label = label
        self._cache.clear()
        ids = [c.id for c in self.rows]
        self.set_reactive(CodingList.cursor, ids.index(keep) if keep in ids else 0)
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.refresh()

    @property
    def highlighted(self) -> CodingInfo | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, style)
        coding = self.rows[index]
        text = self._cache.get(coding.id)
        if text is None:
            text = self._label(coding)
            text.no_wrap = True
            text.end = ""
            self._cache[coding.id] = text
        line = text.copy()
        line.truncate(width, overflow="ellipsis", pad=True)
        if index == self.cursor and self.has_focus:
            line.stylize(self.get_component_rich_style("coding-list--cursor"))
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.crop_extend(0, width, style).apply_style(style)

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(Region(0, new, 1, 1), animate=False)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _move(self, to: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, to))

    def action_move(self, step: int) -> None:
        self._move(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_edge(self, direction: int) -> None:
        self._move(len(self.rows) - 1 if direction > 0 else 0)

    def action_choose(self) -> None:
        coding = self.highlighted
        if coding is not None:
            self.post_message(self.Chosen(coding.id))

    def on_click(self, event: Click) -> None:
        self._move(self.scroll_offset.y + event.y)
        self.action_choose()
