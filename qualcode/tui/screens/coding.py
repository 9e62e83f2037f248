"""The coding screen: one transcript, the codebook and the codings, keyboard first.

State lives here; the widgets are told what to show (attributes down) and report what the user
does (messages up). The document loads in a worker thread; every change is a typed edit
handed to the app's :class:`~qualcode.tui.coding_service.CodingService`, which commits it
and posts back what changed in the document's codings, so the screen only ever shows what is
stored. The screen watches its document from the moment it opens: other coders' changes
arrive by themselves.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter, deque
from collections.abc import Callable

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static, Tree

from qualcode.coding.code_entries import CodeEntry
from qualcode.coding.document_view import CodingInfo, DocumentData
from qualcode.coding.edits import (
    AddCodings,
    ChangeCoding,
    CodingEdit,
    NewCoding,
    Outcome,
    Redo,
    RemoveCodings,
    SetCodingMemo,
    Undo,
)
from qualcode.coding.live_codings import Delta, read_document_view
from qualcode.coding.span_edit import resized_span, trim_span, turn_body_start
from qualcode.errors import QualcodeError, first_line
from qualcode.store.db import Project
from qualcode.suggest.suggestions import ModelInfo, SuggestionRow, edit_accepting
from qualcode.tui.coding_service import CodingsRead, EditFailed, Reread
from qualcode.tui.context import AppContext
from qualcode.tui.keys import CODING, TRANSCRIPT
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.memo import MemoScreen
from qualcode.tui.screens.suggestions import SimilarScreen, SuggestionsRead, read_suggestions
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.coding_list import CodingList
from qualcode.tui.widgets.codings_panel import CodingsPanel
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.navigation import TurnStop
from qualcode.tui.widgets.transcript import PreparedText, TranscriptView, prepare_text

DOC_LIST_DELAY = 0.15
SELECT_FIRST = "select text first: s sentence, t turn, shift+arrows or the mouse"


class CodingScreen(DataScreen):
    """Code one document. ``start``/``end`` select a span when the document opens."""

    BINDINGS = CODING.bindings()
    KEY_GROUPS = (CODING, TRANSCRIPT)
    #: the text has the focus from the start (a later change of focus rebuilds the footer)
    AUTO_FOCUS = "#transcript"

    class Loaded(Message):
        def __init__(
            self,
            data: DocumentData,
            codings: list[CodingInfo],
            codes: list[CodeEntry],
            coders: list[str],
            span: tuple[int, int] | None,
            prepared: tuple[str | None, PreparedText] | None = None,
        ) -> None:
            super().__init__()
            self.data = data
            self.codings = codings
            self.codes = codes
            self.coders = coders
            self.span = span
            #: the text made ready for the view, showing one coder's codings (None: all)
            self.prepared = prepared

    def __init__(
        self,
        ctx: AppContext,
        document_id: int,
        start: int | None = None,
        end: int | None = None,
        *,
        read: Loaded | None = None,
    ) -> None:
        """``read``: the document as :func:`read_for_coding` read it, so that the screen shows
        it as soon as it is mounted (otherwise it reads it then)."""
        super().__init__()
        self.ctx = ctx
        self.document_id = document_id
        self._open_span = (start, end) if start is not None and end is not None else None
        self._read = read
        self.doc: DocumentData | None = None
        self.codings: dict[int, CodingInfo] = {}
        self.codes: dict[int, CodeEntry] = {}
        self.code_order: list[CodeEntry] = []
        self.by_key: dict[str, int] = {}
        self.coders: list[str] = []
        self.view_coder: str | None = ctx.coder  # None: all coders
        self.selected_code_id: int | None = None
        self.focus_coding_id: int | None = None
        self.last_code_id: int | None = None
        self.search_query = ""
        self.loaded = False
        self.note = ""
        #: edits answered (committed or refused): tests wait on it
        self.writes_done = 0
        #: for each edit not yet answered: (note when it changed something, note when not)
        self._pending: deque[tuple[str, str]] = deque()
        #: a coding whose new span the selection follows once its change is read back
        self._reselect: int | None = None
        self._visible: list[CodingInfo] = []
        self._at_cursor: tuple[int, ...] = ()
        self._doc_list_timer: Timer | None = None
        #: the code suggester's layer (S): on or off, and the open suggestions of the document
        self.suggestions_on = False
        self.suggested: list[SuggestionRow] = []
        self.suggestion_model: ModelInfo | None = None
        #: suggestion reads answered: tests wait on it
        self.suggestion_reads = 0

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            yield CodebookTree(id="codebook")
            with Vertical(id="text-column"):
                yield TranscriptView(id="transcript")
                yield Input(placeholder="search the text, Enter finds the next match", id="search")
            yield CodingsPanel(id="codings-panel")
        yield Static("", id="status")
        yield KeyFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    @property
    def code_tree(self) -> CodebookTree:
        return self.query_one("#codebook", CodebookTree)

    @property
    def panel(self) -> CodingsPanel:
        return self.query_one("#codings-panel", CodingsPanel)

    def on_mount(self) -> None:
        self.view.cursor_follower = self._cursor_moved
        if self._read is not None and self._read.data.id == self.document_id:
            read, self._read = self._read, None
            self.on_coding_screen_loaded(read)
        else:
            self._load(self.document_id, self._open_span)

    # -- loading ---------------------------------------------------------------------------------
    def open_document(self, document_id: int, start: int | None, end: int | None) -> None:
        """Show another document (or select a span in this one)."""
        span = (start, end) if start is not None and end is not None else None
        if document_id == self.document_id and self.loaded:
            if span is not None:
                self.view.select_span(*span)
            return
        self.document_id = document_id
        self.loaded = False
        self._load(document_id, span)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, document_id: int, span: tuple[int, int] | None) -> None:
        try:
            loaded = read_for_coding(self.ctx.project, document_id, span, self.view_coder)
        except QualcodeError as exc:
            self.post_message(EditFailed(first_line(exc)))
            return
        self.post_message(loaded)

    def on_coding_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        if data.id != self.document_id:
            return
        self.doc = data
        self._set_codebook(message.codes)
        self.coders = message.coders
        self.codings = {c.id: c for c in message.codings}
        self._visible = self._compute_visible()
        # from now on, others' changes to this document arrive by themselves
        self.ctx.coding.watch(self, data.id)
        view = self.view
        if message.prepared is not None and message.prepared[0] == self.view_coder:
            prepared = message.prepared[1]
        else:
            prepared = _prepare(data, self._visible)
        view.show_prepared(prepared, colours={c.id: c.colour for c in message.codes})
        self.code_tree.set_codes(message.codes, self._counts())
        self.loaded = True
        if message.span is not None:
            view.select_span(*message.span)
        view.focus()
        self._show_cursor_codings(force=True)
        self._fill_doc_list()
        self._update_status()
        if self.suggestions_on:
            self._read_suggestions(data.id)

    def reload_data(self) -> None:
        """Re-read codings, codebook and coders (another instance may have written)."""
        if self.loaded:
            self._submit(None, ("refreshed", "refreshed"), Reread.EVERYTHING)

    def on_unmount(self) -> None:
        self.ctx.coding.unwatch(self)

    # -- changes -----------------------------------------------------------------------------------
    def _submit(
        self, edit: CodingEdit | None, notes: tuple[str, str], reread: Reread = Reread.CHANGES
    ) -> None:
        """Hand an edit to the coding service; ``notes``: what the status line says when it
        changed something, and when it did not."""
        self._pending.append(notes)
        self.ctx.coding.submit(edit, self, document_id=self.document_id, reread=reread)

    def on_codings_read(self, message: CodingsRead) -> None:
        note: str | None = None
        if not message.polled:
            self.writes_done += 1
            done, nothing = self._pending.popleft() if self._pending else ("", "")
            changed_anything = message.outcome is None or message.outcome.changed
            note = done if changed_anything else nothing
            if message.outcome is not None and message.outcome.label and "{label}" in note:
                note = note.format(label=message.outcome.label)
        if message.document_id != self.document_id or not self.loaded:
            return
        rebuilt = message.codes is not None
        if message.codes is not None:
            self._set_codebook(message.codes)
            self.view.set_colours({c.id: c.colour for c in message.codes})
            self.code_tree.set_codes(message.codes, {})
        if message.coders is not None:
            self.coders = message.coders
        changed = self._take(message.delta)
        focus = _focus_of(message.outcome)
        if focus is not None:
            self.focus_coding_id = focus
        if changed or rebuilt:
            self._show_codings(changed, rebuilt)
        if not message.polled and self._reselect is not None:
            moved = self.codings.get(self._reselect)
            self._reselect = None
            if moved is not None and self.view.selected_span is not None:
                self.view.select_span(moved.start, moved.end)
        if note:
            self.note = note
        self._update_status()
        if changed:
            self.post_message(CodingsChanged(frozenset({self.document_id})))
            if self.suggestions_on:  # coded (or undone): what is open has changed
                self._read_suggestions(self.document_id)

    def _take(self, delta: Delta) -> dict[int, CodingInfo | None]:
        """Apply what the writer read back; returns the codings that changed (id -> the coding
        now, or None when it is gone)."""
        if delta.complete:
            new = {c.id: c for c in delta.codings}
            changed: dict[int, CodingInfo | None] = {
                i: new.get(i)
                for i in self.codings.keys() | new.keys()
                if self.codings.get(i) != new.get(i)
            }
            self.codings = new
            return changed
        changed = {}
        for i in delta.removed:
            if self.codings.pop(i, None) is not None:
                changed[i] = None
        for c in delta.codings:
            if self.codings.get(c.id) != c:
                self.codings[c.id] = c
                changed[c.id] = c
        return changed

    def on_edit_failed(self, message: EditFailed) -> None:
        if self._pending:
            self._pending.popleft()
            self.writes_done += 1
        self.notify(message.error, severity="error", timeout=6)

    # -- what is visible -------------------------------------------------------------------------
    def _set_codebook(self, codes: list[CodeEntry]) -> None:
        self.code_order = codes
        self.codes = {c.id: c for c in codes}
        self.by_key = {c.key: c.id for c in codes if c.key}

    def _compute_visible(self) -> list[CodingInfo]:
        who = self.view_coder
        return sorted(
            (c for c in self.codings.values() if who is None or c.coder == who),
            key=_offset_order,
        )

    def _intervals(self) -> dict[int, tuple[int, int, int]]:
        return {c.id: (c.start, c.end, c.code_id) for c in self._visible}

    def _counts(self) -> Counter[int]:
        return Counter(c.code_id for c in self._visible)

    def _show_codings(
        self, changed: dict[int, CodingInfo | None] | None = None, rebuilt: bool = False
    ) -> None:
        """After the codings or the coder view changed: text, tree counts, side panel.

        ``changed`` (id -> coding now, or None when gone) names all that changed since the
        last call; without it everything visible is worked out again."""
        if changed is None or rebuilt:
            self._visible = self._compute_visible()
            self.view.set_codings(self._intervals())
        else:
            self._update_visible(changed)
        self.code_tree.set_counts(self._counts())
        self._show_cursor_codings(force=True)
        self._schedule_doc_list()

    def _update_visible(self, changed: dict[int, CodingInfo | None]) -> None:
        who = self.view_coder
        self._visible = [c for c in self._visible if c.id not in changed]
        added: dict[int, tuple[int, int, int]] = {}
        for coding in changed.values():
            if coding is not None and (who is None or coding.coder == who):
                insort(self._visible, coding, key=_offset_order)
                added[coding.id] = (coding.start, coding.end, coding.code_id)
        self.view.change_codings(added, changed.keys() - added.keys())

    # -- the cursor ------------------------------------------------------------------------------
    def _cursor_moved(self) -> None:
        """The view calls this as the cursor moves (not a message: what the screen shows of
        the cursor then repaints with the text, in one frame)."""
        if self.loaded:
            self._show_cursor_codings()
            self._update_status()

    def codings_here(self) -> list[CodingInfo]:
        """Visible codings at the cursor or overlapping the selection: mine first, then the
        shortest, then the newest."""
        here = self.view.cursor_offset
        lo, hi = self.view.selected_span or (here, here)
        me = self.ctx.coder
        found = [
            c for c in self._visible if c.start <= here < c.end or (c.start < hi and c.end > lo)
        ]
        found.sort(key=lambda c: (c.coder != me, c.end - c.start, -c.id))
        return found

    def _show_cursor_codings(self, *, force: bool = False) -> None:
        here = self.codings_here()
        ids = tuple(c.id for c in here)
        if self.focus_coding_id not in ids:
            self.focus_coding_id = ids[0] if ids else None
        if ids == self._at_cursor and not force:
            return
        self._at_cursor = ids
        assert self.doc is not None
        self.panel.show_at_cursor(
            here,
            self.codes,
            self.doc.text,
            focus_id=self.focus_coding_id,
            show_coder=self.view_coder is None,
        )

    def _schedule_doc_list(self) -> None:
        if self._doc_list_timer is not None:
            self._doc_list_timer.stop()
        self._doc_list_timer = self.set_timer(DOC_LIST_DELAY, self._fill_doc_list)

    def _fill_doc_list(self) -> None:
        if self._doc_list_timer is not None:  # filled now: a scheduled fill would repeat it
            self._doc_list_timer.stop()
            self._doc_list_timer = None
        if self.doc is not None:
            self.panel.show_document(
                self._visible, self.codes, self.doc.text, show_coder=self.view_coder is None
            )

    @on(CodingsPanel.Focused)
    def _panel_focused(self, message: CodingsPanel.Focused) -> None:
        if message.coding_id in self._at_cursor:
            self.focus_coding_id = message.coding_id

    @on(CodingsPanel.Jump)
    def _panel_jump(self, message: CodingsPanel.Jump) -> None:
        coding = self.codings.get(message.coding_id)
        if coding is not None:
            self._go_to(coding)

    def _go_to(self, coding: CodingInfo) -> None:
        self.focus_coding_id = coding.id
        self.view.move_to(coding.start)
        self.view.scroll_to_offset(coding.start)
        self.view.focus()

    @on(Tree.NodeHighlighted, "#codebook")
    def _code_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        self.selected_code_id = event.node.data

    @on(Tree.NodeSelected, "#codebook")
    def _code_chosen(self, event: Tree.NodeSelected[int]) -> None:
        if event.node.data is not None and self.view.selected_span is not None:
            self._apply(event.node.data)

    def _update_status(self) -> None:
        if self.doc is None:
            return
        view = self.view
        if self.view_coder is None:
            who = "all coders"
        elif self.view_coder == self.ctx.coder:
            who = f"mine ({self.ctx.coder})"
        else:
            who = f"{self.view_coder}'s"
        speaker = view.nav.speaker
        parts = [
            self.doc.name,
            f"participant {self.doc.participant}" if self.doc.participant else "",
            f"showing {who}",
            f"speaker {speaker}" if speaker else "",
            f"at {view.cursor_offset}",
        ]
        span = view.selected_span
        if span is not None:
            parts.append(f"selected {span[0]}-{span[1]} ({span[1] - span[0]} chars)")
        if self.note:  # first: what just happened must show on a narrow terminal too
            parts.insert(0, self.note)
        # one row of fixed size (app.tcss): no layout pass, so a cursor step repaints only
        # what changed instead of the whole screen
        self.query_one("#status", Static).update(" · ".join(p for p in parts if p), layout=False)

    # -- coding ----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not char or char not in self.by_key or isinstance(self.focused, Input):
            return
        event.stop()
        event.prevent_default()
        self._apply(self.by_key[char])

    def _apply(self, code_id: int) -> None:
        if self.doc is None:
            return
        span = self.view.selected_span
        if span is None:
            self.notify(SELECT_FIRST)
            return
        trimmed = trim_span(self.doc.text, *span)
        code = self.codes.get(code_id)
        if trimmed is None or code is None:
            self.notify("the selection is only white space", severity="warning")
            return
        self.last_code_id = code_id
        start, end = trimmed
        hidden = " (yours are hidden: v)" if self.view_coder not in (None, self.ctx.coder) else ""
        edit = AddCodings((NewCoding(self.doc.id, code_id, start, end),))
        self._submit(edit, (f"coded {code.path}{hidden}", "already coded"))
        # the cursor goes onto the coding (not just past it), the selection stays: e, m, x
        # act on the new coding, also once the selection is cleared or the cursor moves on
        self.view.select_span(start, end, cursor_at_start=True)

    def action_pick_code(self) -> None:
        if not self.code_order:
            self.notify("the codebook is empty", severity="warning")
            return
        if self.view.selected_span is None:
            self.notify(SELECT_FIRST)
            return

        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self._apply(code_id)

        self.app.push_screen(CodePicker(self.code_order), chosen)

    def action_apply_last(self) -> None:
        if self.last_code_id is None:
            self.notify("no code used yet in this session")
        else:
            self._apply(self.last_code_id)

    def _target(self) -> CodingInfo | None:
        """My coding at the cursor (the one highlighted in the side panel), or None with a hint."""
        coding = self.codings.get(self.focus_coding_id) if self.focus_coding_id else None
        if coding is None:
            self.notify("no coding at the cursor")
            return None
        if coding.coder != self.ctx.coder:
            self.notify(f"that coding is {coding.coder}'s; you can change only your own")
            return None
        return coding

    def action_remove_coding(self) -> None:
        coding = self._target()
        if coding is None:
            return
        path = self._path(coding.code_id)
        self._submit(RemoveCodings((coding.id,)), (f"removed {path}", "already removed"))

    def action_recode(self) -> None:
        coding = self._target()
        if coding is None:
            return

        def chosen(code_id: int | None) -> None:
            if code_id is None or code_id == coding.code_id:
                return
            note = f"re-coded as {self._path(code_id)}"
            self._submit(ChangeCoding(coding.id, code_id=code_id, label=note), (note, note))

        self.app.push_screen(CodePicker(self.code_order, title="Re-code as"), chosen)

    def action_resize(self, edge: str, step: int) -> None:
        coding = self._target()
        if coding is None or self.doc is None:
            return
        span = resized_span(self.doc.text, coding.start, coding.end, edge, step)
        if span is None:
            self.notify("cannot move that edge further")
            return
        verb = "extended" if (edge == "end") == (step > 0) else "shrank"
        note = f"{verb} coding to {span[0]}-{span[1]}"
        edit = ChangeCoding(coding.id, start=span[0], end=span[1], label=verb)
        self._reselect = coding.id  # the selection shows the coding's new span
        self._submit(edit, (note, note))

    def action_undo(self) -> None:
        self._submit(Undo(), ("undid {label}", "nothing to undo"))

    def action_redo(self) -> None:
        self._submit(Redo(), ("redid {label}", "nothing to redo"))

    def _path(self, code_id: int) -> str:
        code = self.codes.get(code_id)
        return code.path if code is not None else f"code {code_id}"

    # -- the code suggester's layer ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="suggestions")
    def _read_suggestions(self, document_id: int, reject: tuple[int, ...] = ()) -> None:
        read_suggestions(self, self.ctx, document_id, reject)

    def on_suggestions_read(self, message: SuggestionsRead) -> None:
        self.suggestion_reads += 1
        if message.error:
            self.notify(message.error, severity="error")
            return
        if message.document_id != self.document_id or not self.suggestions_on:
            return
        self.suggested, self.suggestion_model = message.rows, message.model
        self.view.set_suggestions((r.start, r.end) for r in self.suggested)
        if message.note:
            self.note = message.note
        elif self.suggestion_model is None:
            self.note = "no suggestions yet: train the suggester (F11, t)"
        else:
            self.note = f"{len(self.suggested)} suggestion(s) here: A accepts, X rejects"
        self._update_status()

    def action_toggle_suggestions(self) -> None:
        self.suggestions_on = not self.suggestions_on
        if self.suggestions_on:
            self._read_suggestions(self.document_id)
            return
        self.suggested = []
        self.view.set_suggestions([])
        self.note = "suggestions hidden"
        self._update_status()

    def suggestion_here(self) -> SuggestionRow | None:
        """The likeliest suggestion at the cursor (the layer on), or None."""
        here = self.view.cursor_offset
        found = [r for r in self.suggested if r.start <= here < r.end]
        return max(found, key=lambda r: r.probability) if found else None

    def _suggestion_target(self) -> SuggestionRow | None:
        if not self.suggestions_on:
            self.notify("the suggestions are hidden: S shows them")
            return None
        row = self.suggestion_here()
        if row is None or self.suggestion_model is None:
            self.notify("no suggestion at the cursor")
            return None
        return row

    def action_accept_suggestion(self) -> None:
        row = self._suggestion_target()
        if row is None or self.suggestion_model is None:
            return
        self.suggested = [r for r in self.suggested if r.id != row.id]
        self.view.set_suggestions((r.start, r.end) for r in self.suggested)
        edit = edit_accepting([row], self.suggestion_model)
        self._submit(edit, (f"accepted {row.code} (u undoes it)", "already coded"))

    def action_reject_suggestion(self) -> None:
        row = self._suggestion_target()
        if row is not None:
            self._read_suggestions(self.document_id, (row.id,))

    def action_more_like_this(self) -> None:
        coding = self.codings.get(self.focus_coding_id) if self.focus_coding_id else None
        if coding is None:
            self.notify("no coding at the cursor")
            return
        self.app.push_screen(SimilarScreen(self.ctx, coding.id))

    # -- selecting without the mouse ---------------------------------------------------------------
    def action_select_sentence(self) -> None:
        if self.loaded and not self.view.select_sentence():
            self.notify("no (further) sentence here")

    def action_select_turn(self) -> None:
        if self.loaded and not self.view.select_turn():
            self.notify("no speaker turn here")

    def action_clear_selection(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_class("open"):
            search.remove_class("open")
            self.view.focus()
            return
        self.view.move_to(self.view.cursor_offset)
        self.view.set_match(None)

    # -- memos -----------------------------------------------------------------------------------
    def action_memo(self) -> None:
        coding = self.codings.get(self.focus_coding_id) if self.focus_coding_id else None
        if coding is None or coding.coder != self.ctx.coder:
            self.action_memo_document()
            return
        title = f"Memo on coding: {self._path(coding.code_id)} ({coding.start}-{coding.end})"
        self._open_memo("coding", coding.id, title)

    def action_memo_document(self) -> None:
        if self.doc is not None:
            self._open_memo("document", self.doc.id, f"Memo on document {self.doc.name}")

    def action_memo_code(self) -> None:
        code_id = self.selected_code_id
        if code_id is None or code_id not in self.codes:
            self.notify("highlight a code in the codebook first (ctrl+b)")
            return
        self._open_memo("code", code_id, f"Memo on code {self._path(code_id)}")

    def _open_memo(self, target: str, target_id: int, title: str) -> None:
        def closed(result: bool | str | None) -> None:
            if target == "coding" and isinstance(result, str):
                edit = SetCodingMemo(target_id, result)
                self._submit(edit, ("memo saved (u undoes it)", "memo unchanged"))

        self.app.push_screen(MemoScreen(self.ctx, target, target_id, title), closed)

    # -- moving around ---------------------------------------------------------------------------
    def action_jump(self, step: int) -> None:
        """To the next (step 1) or previous (-1) coding of the highlighted code; wraps around."""
        code_id = self.selected_code_id
        nav = self.view.nav
        candidates = [
            c
            for c in self._visible
            if (code_id is None or c.code_id == code_id) and nav.allows(c.start)
        ]
        if not candidates:
            what = self._path(code_id) if code_id is not None else "any code"
            self.notify(f"no codings of {what} here")
            return
        here = self.view.cursor_offset
        if step > 0:
            target = next((c for c in candidates if c.start > here), candidates[0])
        else:
            target = next((c for c in reversed(candidates) if c.start < here), candidates[-1])
        self._go_to(target)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("open")
        search.value = self.search_query
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_query = event.value
        event.input.remove_class("open")
        self.view.focus()
        self.action_search_next()

    def action_search_next(self) -> None:
        if not self.loaded or not self.search_query.strip():
            self.notify("nothing to search for: press / and type")
            return
        found, wrapped = self.view.find_next(self.search_query)
        if not found:
            self.notify(f"{self.search_query!r} not found")
        elif wrapped:
            self.notify("search wrapped to the top")

    def action_cycle_speaker(self) -> None:
        if not self.loaded:
            return
        if not self.view.nav.speakers:
            self.notify("this document has no speaker turns")
            return
        speaker = self.view.cycle_speaker()
        self.note = f"speaker filter: {speaker or 'off'}"
        self._update_status()

    def action_cycle_view(self) -> None:
        """My codings, then each other coder's who coded this document, then all coders'."""
        me = self.ctx.coder
        here = {c.coder for c in self.codings.values()}  # coders with codings in this document
        others = (c for c in self.coders if c != me and c in here)
        order: list[str | None] = [me, *others, None]
        current = order.index(self.view_coder) if self.view_coder in order else 0
        self.view_coder = order[(current + 1) % len(order)]
        self._show_codings()
        self._fill_doc_list()
        self.note = ""
        self._update_status()

    def action_focus_codebook(self) -> None:
        self._show_side("codebook")

    def action_toggle_codebook(self) -> None:
        self._toggle_side("codebook")

    def action_toggle_codings(self) -> None:
        self._toggle_side("codings")

    def _side(self, name: str) -> Widget:
        return self.code_tree if name == "codebook" else self.panel

    def _toggle_side(self, name: str) -> None:
        """Show a side column and go to it; when it is there already and has the focus, hide
        it and go back to the text. Which columns show by default depends on the width
        (``app.tcss``: the text always gets the room)."""
        side = self._side(name)
        if side.display and side.has_focus_within:
            self.set_class(False, f"show-{name}")
            self.set_class(True, f"hide-{name}")
            self.view.focus()
        else:
            self._show_side(name)

    def _show_side(self, name: str) -> None:
        self.set_class(False, f"hide-{name}")
        self.set_class(True, f"show-{name}")
        if self.has_class("-narrow"):  # one side column at a time
            other = "codings" if name == "codebook" else "codebook"
            self.set_class(False, f"show-{other}")
        side = self._side(name)
        target = side if isinstance(side, CodebookTree) else side.query(CodingList).last()
        self.call_after_refresh(target.focus)

    def action_focus_text(self) -> None:
        self.view.focus()

    def action_back(self) -> None:
        self.dismiss()

    # -- for the command palette -------------------------------------------------------------------
    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Extra commands: code the selection with any code."""
        return [
            (
                f"Code selection as {code.path}" + (f" [{code.key}]" if code.key else ""),
                "apply this code to the selected text",
                _bind(self._apply, code.id),
            )
            for code in self.code_order
        ]


def read_for_coding(
    project: Project,
    document_id: int,
    span: tuple[int, int] | None = None,
    coder: str | None = None,
) -> CodingScreen.Loaded:
    """What the coding screen shows of a document, its text made ready to show ``coder``'s
    codings (None: everyone's). Call it in a worker: it reads, then works on the text."""
    data, codings, codes, coders = read_document_view(project, document_id)
    visible = [c for c in codings if coder is None or c.coder == coder]
    prepared = (coder, _prepare(data, visible))
    return CodingScreen.Loaded(data, codings, codes, coders, span, prepared)


def _prepare(data: DocumentData, visible: list[CodingInfo]) -> PreparedText:
    turns = [
        TurnStop(t.start, turn_body_start(data.text, t.start, t.end, t.speaker), t.end, t.speaker)
        for t in data.turns
    ]
    return prepare_text(
        data.text,
        codings={c.id: (c.start, c.end, c.code_id) for c in visible},
        sentences=[(s.start, s.end) for s in data.sentences],
        turns=turns,
    )


def _focus_of(outcome: Outcome | None) -> int | None:
    """The coding to highlight after an edit: the one it made or changed."""
    if outcome is None or not outcome.changed or not outcome.ids:
        return None
    return outcome.ids[0]


def _offset_order(coding: CodingInfo) -> tuple[int, int, int]:
    return (coding.start, coding.end, coding.id)


def _bind(func: Callable[[int], None], value: int) -> Callable[[], None]:
    return lambda: func(value)
