"""A list of codings, one or two lines each, rendered lazily (Line API): only the rows on screen
are formatted, so a document with thousands of codings updates at once. Its size comes from
the stylesheet, so new rows change only what is painted, never the screen's layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.coding.document_view import CodingInfo
from qualcode.tui.keys import CODING_LIST

Label = Callable[[CodingInfo], Text]


class CodingList(ScrollView, can_focus=True):
    """Rows of codings; the owner sets them with a function that labels one coding.

    ``lines`` is each row's height. A label's first line (the code) is wrapped onto as many
    of them as it needs, keeping the last for its second line (the excerpt); with one line per
    row, rows are cut to the width.
    """

    BINDINGS = CODING_LIST.bindings()
    COMPONENT_CLASSES: ClassVar[set[str]] = {"coding-list--cursor", "coding-list--cursor-blurred"}

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        """Enter (or a click) on a row."""

        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    class Highlighted(Message):
        """The user moved the cursor to a row."""

        def __init__(self, coding_list: CodingList, coding_id: int) -> None:
            super().__init__()
            self.coding_list = coding_list
            self.coding_id = coding_id

        @property
        def control(self) -> CodingList:
            return self.coding_list

    def __init__(self, *, lines: int = 1, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = lines
        self.rows: list[CodingInfo] = []
        self._label: Label = lambda c: Text(str(c.id))
        self._cache: dict[int, list[Text]] = {}
        self._cache_width = 0
        self._paint: tuple[Style, int] | None = None

    def set_rows(
        self, rows: Sequence[CodingInfo], label: Label, *, cursor_id: int | None = None
    ) -> None:
        """Show these codings; the cursor goes to ``cursor_id``, or stays on the same coding
        when it is still there."""
        keep = self.rows[self.cursor].id if 0 <= self.cursor < len(self.rows) else None
        self.rows = list(rows)
        self._label = label
        self._cache.clear()
        ids = [c.id for c in self.rows]
        wanted = cursor_id if cursor_id in ids else keep
        self.set_reactive(CodingList.cursor, ids.index(wanted) if wanted in ids else 0)
        self._set_height(len(self.rows) * self.lines)
        self.refresh()

    def _set_height(self, height: int) -> None:
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        # As Textual does for a resize without layout: the list's own size is fixed by the
        # stylesheet, so only its scrollbar changes, and the rest of the screen is left alone.
        self.set_reactive(ScrollView.virtual_size, size)
        if self.size:
            self._scroll_update(size)

    @property
    def highlighted(self) -> CodingInfo | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_lines(self, crop: Region) -> list[Strip]:
        # what every row needs, worked out once per paint rather than once per row
        self._paint = (self.rich_style, self.scrollable_content_region.width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        style, width = self._paint or (self.rich_style, self.scrollable_content_region.width)
        index, part = divmod(self.scroll_offset.y + y, self.lines)
        if index >= len(self.rows):
            return Strip.blank(width, style)
        coding = self.rows[index]
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        parts = self._cache.get(coding.id)
        if parts is None:
            parts = self._cache[coding.id] = self._row_lines(coding, width)
        line = parts[part].copy()
        line.truncate(width, overflow="ellipsis", pad=True)
        if index == self.cursor and line.plain:  # not the blank spacer under a short row
            cursor = "coding-list--cursor" if self.has_focus else "coding-list--cursor-blurred"
            line.stylize_before(self.get_component_rich_style(cursor))
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.crop_extend(0, width, style).apply_style(style)

    def _row_lines(self, coding: CodingInfo, width: int) -> list[Text]:
        """The label as ``self.lines`` lines of at most ``width`` cells."""
        head, *rest = self._label(coding).split("\n", allow_blank=True)
        tail = rest[:1] if self.lines > 1 else []
        room = self.lines - len(tail)
        wrapped = list(head.wrap(self.app.console, max(1, width))) if room > 1 else [head]
        if len(wrapped) > room:
            wrapped = wrapped[:room]
            wrapped[-1].append("…")
        parts = [*wrapped, *tail]
        parts += [Text("") for _ in range(self.lines - len(parts))]
        for text in parts:
            text.rstrip()
            text.no_wrap = True
            text.end = ""
        return parts

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(Region(0, new * self.lines, 1, self.lines), animate=False)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _move(self, to: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, to))
            self.post_message(self.Highlighted(self, self.rows[self.cursor].id))

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
        self._move((self.scroll_offset.y + event.y) // self.lines)
        self.action_choose()
