"""The transcript view: a read-only, soft-wrapped TextArea that paints codings in their codes'
colours.

Styling is per line: the codings' spans are swept once into per-line runs (see
:mod:`qualcode.tui.widgets.line_spans`); a styled line is built the first time it is shown and
kept, cut into its wrapped sections, until a change touches that line. Rendered strips are
cached by what they depend on (the line's version, and the selection only when it touches the
line), and a change repaints only the screen rows of the lines it touched, so coding, moving the
cursor or scrolling re-renders only what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.color import Color
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.tui.keys import TRANSCRIPT
from qualcode.tui.widgets.fast_wrap import wrap_document
from qualcode.tui.widgets.line_spans import (
    HighlightMap,
    Interval,
    LineIndex,
    Run,
    displayable,
    row_runs,
)
from qualcode.tui.widgets.navigation import TextNavigator, TurnStop, next_stop

FALLBACK_COLOUR = Color.parse("#888888")
SINGLE_MIX = 0.45
OVERLAP_MIX = 0.75


@dataclass(frozen=True)
class PreparedText:
    """A document made ready for the view: plain data, so it can be built off the UI thread."""

    display: str
    index: LineIndex
    nav: TextNavigator
    highlights: HighlightMap
    labels: dict[int, list[Run]]


def prepare_text(
    text: str,
    *,
    codings: Mapping[int, Interval],
    sentences: Sequence[tuple[int, int]] = (),
    turns: Sequence[TurnStop] = (),
) -> PreparedText:
    """Lines, per-line highlight runs and speaker labels of a text with its codings
    (id -> (start, end, code id))."""
    display = displayable(text)
    index = LineIndex(display)
    highlights = HighlightMap(index)
    highlights.reset(codings)
    labels = [(t.start, t.body, 0) for t in turns if t.speaker and t.body > t.start]
    return PreparedText(
        display, index, TextNavigator(text, sentences, turns), highlights, row_runs(index, labels)
    )


class TranscriptView(TextArea, inherit_bindings=False):
    """Shows one document; its owner sets codings, colours, speaker labels and filters."""

    BINDINGS = TRANSCRIPT.bindings()

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--speaker",
        "transcript--overlap",
        "transcript--match",
        "transcript--dimmed",
        "transcript--suggestion",
    }

    #: (wrapped document, width, tab width) of the last wrap (TextArea wraps while it is built);
    #: the document itself, not its id: a new one may reuse a freed one's id
    _wrapped_for: tuple[object, int, int] | None = None
    #: counts the wraps: a strip rendered under one wrap is never shown under another
    _wrap_generation = 0

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_cursor=True,
            highlight_cursor_line=False,
            id=id,
            classes=classes,
        )
        self.match_cursor_bracket = False
        self.cursor_blink = False
        self.index = LineIndex("")
        self._display = ""
        self._map = HighlightMap(self.index)
        self._colours: dict[int, Color] = {}
        self._labels: dict[int, list[Run]] = {}
        self._dimmed: dict[int, list[Run]] = {}
        self._match: tuple[int, int] | None = None
        #: the code suggester's layer: spans marked apart from the codings (none: layer off)
        self._suggested: list[tuple[int, int]] = []
        self.nav = TextNavigator()
        self._styled: dict[int, Text] = {}
        #: a styled line cut at its wrap offsets: (offsets, [(first column, section)])
        self._sections: dict[int, tuple[list[int], list[tuple[int, Text]]]] = {}
        self._versions: dict[int, int] = {}
        self._epoch = 0
        self._strips: LRUCache[Hashable, Strip] = LRUCache(4096)
        self._tag_styles: dict[tuple[int, ...], Style] = {}
        #: ``get_line`` calls, styled lines built, strips rendered (for tests and benchmarks)
        self.stats: Counter[str] = Counter()
        #: the owner's function to call as soon as the cursor or the selection moves (see
        #: :meth:`watch_selection`)
        self.cursor_follower: Callable[[], None] | None = None

    # -- what the owner sets ---------------------------------------------------------------------
    def show_text(
        self,
        text: str,
        *,
        codings: Mapping[int, Interval],
        colours: Mapping[int, str],
        sentences: Sequence[tuple[int, int]] = (),
        turns: Sequence[TurnStop] = (),
    ) -> None:
        """Show a new document with its codings (id -> (start, end, code id))."""
        prepared = prepare_text(text, codings=codings, sentences=sentences, turns=turns)
        self.show_prepared(prepared, colours=colours)

    def show_prepared(self, prepared: PreparedText, *, colours: Mapping[int, str]) -> None:
        """Show a document made ready by :func:`prepare_text`."""
        self._display = prepared.display
        self.index = prepared.index
        self.nav = prepared.nav
        self._map = prepared.highlights
        self._set_colours(colours)
        self._labels = prepared.labels
        self._dimmed = {}
        self._match = None
        self._suggested = []
        self._styled.clear()
        self._sections.clear()
        self._versions.clear()
        self._epoch += 1
        self.load_text(self._display)

    def set_codings(self, codings: Mapping[int, Interval]) -> set[int]:
        """Show a new set of codings; only the lines whose runs changed are restyled."""
        rows = self._map.update(codings)
        self._invalidate(rows)
        return rows

    def change_codings(self, shown: Mapping[int, Interval], gone: Iterable[int]) -> set[int]:
        """Show these codings (new or changed) and drop those; the rest stay as they are."""
        rows = self._map.change(shown, gone)
        self._invalidate(rows)
        return rows

    def set_colours(self, colours: Mapping[int, str]) -> None:
        self._set_colours(colours)
        self._invalidate_all()

    def set_match(self, span: tuple[int, int] | None) -> None:
        """Mark a search match."""
        rows: set[int] = set()
        for old_or_new in (self._match, span):
            if old_or_new is not None:
                rows.update(self.index.rows_between(*old_or_new))
        self._match = span
        self._invalidate(rows)

    def set_suggestions(self, spans: Iterable[tuple[int, int]]) -> None:
        """Mark the suggester's spans (an empty list hides the layer)."""
        new = sorted(set(spans))
        rows: set[int] = set()
        for a, b in (*self._suggested, *new):
            rows.update(self.index.rows_between(a, b))
        self._suggested = new
        self._invalidate(rows)

    def cycle_speaker(self) -> str | None:
        """Show the next speaker's turns only (others dimmed); returns that speaker."""
        speaker = self.nav.cycle_speaker()
        self._dimmed = row_runs(self.index, ((s, e, 0) for s, e in self.nav.dimmed()))
        self._invalidate_all()
        return speaker

    @property
    def codings(self) -> Mapping[int, Interval]:
        return self._map.intervals

    def watch_selection(self, previous: Selection, selection: Selection) -> None:
        """Tell the owner at once that the cursor moved, so that what it shows of the cursor
        (the status line, the codings at the cursor) repaints in the same frame as the text.
        TextArea's ``SelectionChanged`` message reaches the screen only after the text has
        been painted, and the screen's repaint then waits for the next frame: every cursor
        step painted twice, a frame apart."""
        if previous != selection and self.is_mounted and self.cursor_follower is not None:
            self.cursor_follower()

    # -- offsets ---------------------------------------------------------------------------------
    @property
    def cursor_offset(self) -> int:
        return self.index.offset(*self.selection.end)

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """The selection as text offsets (start < end), or None when nothing is selected."""
        a = self.index.offset(*self.selection.start)
        b = self.index.offset(*self.selection.end)
        if a == b:
            return None
        return (a, b) if a < b else (b, a)

    def select_span(self, start: int, end: int, *, cursor_at_start: bool = False) -> None:
        """Select ``[start, end)``, the cursor at its end (or start), its start in view."""
        a, b = self.index.location(start), self.index.location(end)
        self.selection = Selection(b, a) if cursor_at_start else Selection(a, b)
        self.scroll_to_offset(start)

    def move_to(self, offset: int, *, select: bool = False) -> None:
        location = self.index.location(offset)
        if select:
            self.selection = Selection(self.selection.start, location)
        else:
            self.selection = Selection.cursor(location)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding ``offset`` is in view."""
        if not self.is_mounted or not self.size.height:
            return
        wrapped = self.wrapped_document.location_to_offset(self.index.location(offset))
        top = self.scroll_offset.y
        if not top <= wrapped.y < top + self.size.height:
            self.scroll_to(y=max(0, wrapped.y - self.size.height // 3), animate=False)

    # -- moves and selections by sentence and turn; search ----------------------------------------
    def action_sentence(self, direction: int, select: bool = False) -> None:
        """Move to the next or previous sentence start; selecting forward stops at ends."""
        nav = self.nav
        stops = nav.sentence_ends if select and direction > 0 else nav.sentence_starts
        target = next_stop(stops, self.cursor_offset, direction)
        if target is not None:
            self.move_to(target, select=select)

    def action_turn(self, direction: int) -> None:
        target = next_stop(self.nav.turn_starts, self.cursor_offset, direction)
        if target is not None:
            self.move_to(target)
            self.scroll_to_offset(target)

    def action_document_edge(self, direction: int) -> None:
        self.move_to(self.index.length if direction > 0 else 0)

    def select_sentence(self) -> bool:
        """Select the sentence at the cursor, or add the next one to the selection."""
        span = self.nav.sentence_span(self.cursor_offset, self.selected_span)
        if span is not None:
            self.select_span(*span)
        return span is not None

    def select_turn(self) -> bool:
        span = self.nav.turn_span(self.cursor_offset)
        if span is not None:
            self.select_span(*span)
        return span is not None

    def find_next(self, query: str) -> tuple[bool, bool]:
        """Select the next match of ``query``; returns (found, wrapped)."""
        selected = self.selected_span
        after = selected[0] if selected is not None else self.cursor_offset - 1
        span, wrapped = self.nav.find(query, after)
        self.set_match(span)
        if span is not None:
            self.select_span(*span)
        return span is not None, wrapped

    # -- painting --------------------------------------------------------------------------------
    def get_line(self, line_index: int) -> Text:
        self.stats["get_line"] += 1
        cached = self._styled.get(line_index)
        if cached is None:
            cached = self._build_line(line_index)
            self._styled[line_index] = cached
        return cached.copy()

    def _build_line(self, row: int) -> Text:
        self.stats["built"] += 1
        if row >= self.index.rows:
            return Text("", end="", no_wrap=True)
        start, end = self.index.line_span(row)
        text = Text(self._display[start:end], end="", no_wrap=True)
        labels = self._labels.get(row)
        if labels:
            speaker = self.get_component_rich_style("transcript--speaker", partial=True)
            for a, b, _ in labels:
                text.stylize(speaker, a, b)
        for a, b, tags in self._map.runs(row):
            text.stylize(self._style_for(tags), a, b)
        dimmed = self._dimmed.get(row)
        if dimmed:
            dim = self.get_component_rich_style("transcript--dimmed", partial=True)
            for a, b, _ in dimmed:
                text.stylize(dim, a, b)
        if self._suggested:
            mark = self.get_component_rich_style("transcript--suggestion", partial=True)
            for a, b in self._suggested:
                if a < end and b > start:
                    text.stylize(mark, max(a, start) - start, min(b, end) - start)
        if self._match is not None:
            a, b = self._match
            if a < end and b > start:
                match = self.get_component_rich_style("transcript--match", partial=True)
                text.stylize(match, max(a, start) - start, min(b, end) - start)
        return text

    def _style_for(self, tags: tuple[int, ...]) -> Style:
        style = self._tag_styles.get(tags)
        if style is not None:
            return style
        codes = list(dict.fromkeys(tags))
        mix = self._colours.get(codes[0], FALLBACK_COLOUR)
        for n, code in enumerate(codes[1:], start=2):
            mix = mix.blend(self._colours.get(code, FALLBACK_COLOUR), 1 / n)
        base = self.background_colors[1]
        if len(tags) == 1:
            bg = base.blend(mix, SINGLE_MIX)
            style = Style(bgcolor=bg.rich_color, color=(bg + bg.get_contrast_text(0.9)).rich_color)
        else:
            bg = base.blend(mix, OVERLAP_MIX)
            overlap = self.get_component_rich_style("transcript--overlap", partial=True)
            colours = Style(bgcolor=bg.rich_color, color=(bg + bg.get_contrast_text(1)).rich_color)
            style = colours + overlap
        self._tag_styles[tags] = style
        return style

    def _set_colours(self, colours: Mapping[int, str]) -> None:
        parsed: dict[int, Color] = {}
        for code_id, colour in colours.items():
            try:
                parsed[code_id] = Color.parse(colour)
            except Exception:
                parsed[code_id] = FALLBACK_COLOUR
        self._colours = parsed
        self._tag_styles.clear()

    def _invalidate(self, rows: Iterable[int]) -> None:
        """Restyle these lines, and repaint only the screen rows they are wrapped onto."""
        wrapped = self.wrapped_document
        rows_y = wrapped._line_index_to_offsets  # no public accessor
        for row in rows:
            self._styled.pop(row, None)
            self._sections.pop(row, None)
            self._versions[row] = self._versions.get(row, 0) + 1
            if row < len(rows_y) and rows_y[row]:
                self.refresh_lines(rows_y[row][0], len(rows_y[row]))

    def _invalidate_all(self) -> None:
        self._styled.clear()
        self._sections.clear()
        self._epoch += 1
        self.refresh()

    def _rewrap_and_refresh_virtual_size(self) -> None:
        """TextArea wraps the whole text again on every resize and scrollbar change, even at
        the same width (a 50,000-word transcript: ~50 ms each). The text never changes here,
        so a wrap stands until the document or the width does."""
        key = (self.wrapped_document, self.wrap_width, self.indent_width)
        if key != self._wrapped_for:
            wrap_document(self.wrapped_document, self.wrap_width, self.indent_width)
            self._wrapped_for = key
            self._wrap_generation += 1
            self._line_cache.clear()
            if self.is_mounted:  # (TextArea wraps while it is built, before the cache exists)
                self._strips.clear()
                self.refresh()
        self._refresh_size()

    def notify_style_update(self) -> None:
        self._tag_styles.clear()
        self._invalidate_all()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Render one screen row, reusing the strip when nothing it shows has changed.

        TextArea's own cache puts the whole selection in the key when soft-wrapping, so every
        cursor move re-renders every visible row; here the selection counts only for the rows
        it touches.
        """
        scroll_x, scroll_y = self.scroll_offset
        absolute_y = scroll_y + y
        info = self.wrapped_document._offset_to_line_info  # no public accessor
        if not self._display or absolute_y >= len(info):
            return super().render_line(y)
        row, section = info[absolute_y]
        selection = self.selection
        top, bottom = sorted((selection.start, selection.end))
        touches = top[0] <= row <= bottom[0]
        key = (
            self.size,
            scroll_x,
            absolute_y,
            row,
            section,
            self._wrap_generation,
            self._epoch,
            self._versions.get(row, 0),
            selection if touches else None,
            self.has_focus,
            self.theme,
            self.show_cursor,
        )
        strip = self._strips.get(key)
        if strip is None:
            self.stats["rendered"] += 1
            strip = self._render_section(row, section, y)
            self._strips[key] = strip
        return strip

    def _render_section(self, row: int, section: int, y: int) -> Strip:
        """One screen row: a section of a styled line, with the selection and the cursor.

        What TextArea's own ``_render_line`` draws for a read-only, soft-wrapped view without
        line numbers, but with the line cut once (not per screen row) and no copy of it unless
        the selection or the cursor is on it. Lines with tabs are left to TextArea.
        """
        sections = self._sections_of(row)
        if sections is None:
            return self._render_line(y)
        first, text = sections[section]
        theme = self._theme
        selection = self.selection
        (top_row, top_col), (bottom_row, bottom_col) = sorted(selection)
        cursor_row, cursor_col = selection.end
        last = first + len(text)
        if selection.start != selection.end and top_row <= row <= bottom_row:
            style = theme.selection_style if theme else None
            if style is not None:
                text = text.copy()
                if self.index.line_span(row)[0] == self.index.line_span(row)[1]:
                    if row != cursor_row:  # an empty line inside the selection
                        text.plain = "▌"
                        text.stylize(Style(color=style.bgcolor))
                else:
                    a = top_col if row == top_row else 0
                    b = bottom_col if row == bottom_row else last
                    a, b = max(a, first), min(b, last)
                    if a < b:
                        text.stylize(style, a - first, b - first)
        if cursor_row == row and first <= cursor_col < last and self._draw_cursor:
            style = theme.cursor_style if theme else None
            if style is not None:
                if text is sections[section][1]:
                    text = text.copy()
                text.stylize(style, cursor_col - first, cursor_col - first + 1)
        base = theme.base_style if theme and theme.base_style is not None else self.rich_style
        width = self.scrollable_content_region.size.width - self.gutter_width
        strip = Strip(text.render(self.app.console), cell_length=text.cell_len)
        strip = strip.extend_cell_length(width, theme.base_style if theme else None)
        return strip.apply_style(base)

    def _sections_of(self, row: int) -> list[tuple[int, Text]] | None:
        """The styled line cut at its wrap offsets (cached while they hold); None with tabs."""
        offsets = self.wrapped_document.get_offsets(row)
        cached = self._sections.get(row)
        if cached is not None and cached[0] == offsets:
            return cached[1]
        start, end = self.index.line_span(row)
        if "\t" in self._display[start:end]:
            return None
        line = self.get_line(row)
        line.set_length(end - start + 1)  # a space at the end, for the cursor
        parts = line.divide(offsets) if offsets else [line]
        sections: list[tuple[int, Text]] = []
        first = 0
        for part in parts:
            part.end = ""
            sections.append((first, part))
            first += len(part)
        self._sections[row] = (list(offsets), sections)
        return sections
