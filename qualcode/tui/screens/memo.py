"""Write a memo on a coding, a document or a code. Loads and saves the memo itself (in
worker threads); dismisses with True when a memo was saved."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from qualcode.coding.memos import read_memo, save_memo
from qualcode.errors import QualcodeError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import MEMO
from qualcode.tui.widgets.key_footer import KeyFooter


class MemoScreen(ModalScreen[bool]):
    BINDINGS = MEMO.bindings()

    class Loaded(Message):
        def __init__(self, body: str) -> None:
            super().__init__()
            self.body = body

    class Saved(Message):
        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    def __init__(self, ctx: AppContext, target: str, target_id: int, title: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.target = target
        self.target_id = target_id
        self.title_text = title
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="memo"):
            yield Label(self.title_text, id="memo-title")
            yield TextArea(id="memo-body", soft_wrap=True, disabled=True)
            yield Label("ctrl+s saves · esc cancels · an empty memo is removed", id="memo-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, group="memo")
    def _load(self) -> None:
        with self.ctx.project.session() as s:
            body = read_memo(s, self.target, self.target_id, self.ctx.coder)
        self.post_message(self.Loaded(body))

    def on_memo_screen_loaded(self, message: Loaded) -> None:
        area = self.query_one("#memo-body", TextArea)
        area.load_text(message.body)
        area.disabled = False
        area.move_cursor(area.document.end)
        area.focus()
        self.loaded = True

    def action_save(self) -> None:
        if not self.loaded:
            return
        self._save(self.query_one("#memo-body", TextArea).text)

    @work(thread=True, group="memo")
    def _save(self, body: str) -> None:
        try:
            with self.ctx.project.write() as s:
                save_memo(s, self.target, self.target_id, self.ctx.coder, body)
        except QualcodeError as exc:
            self.post_message(self.Saved(str(exc)))
            return
        self.post_message(self.Saved(None))

    def on_memo_screen_saved(self, message: Saved) -> None:
        if message.error:
            self.notify(message.error, severity="error")
            return
        self.notify("memo saved")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
