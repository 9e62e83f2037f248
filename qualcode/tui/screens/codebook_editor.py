"""The codebook editor: the code tree with counts and the highlighted code's definitions; keys
to add, rename, move, recolour, key, define, merge and delete codes. Every edit is one
transaction (in a worker) and posts :class:`CodebookChanged` (merges also
:class:`CodingsChanged`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea, Tree

from qualcode.codebook import edit
from qualcode.codebook.edit import CodeDetails, EditResult, describe_edit
from qualcode.coding.code_entries import CodeEntry, codebook_entries
from qualcode.errors import QualcodeError
from qualcode.store.db import Session
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodebookChanged, CodingsChanged
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_footer import KeyFooter

CODEBOOK_EDITOR = KeyGroup(
    "Codebook editor",
    (
        Key("codebook.new", "n", "new_code", "New sub-code", show=True),
        Key("codebook.new-top", "N", "new_top_code", "New top-level code"),
        Key("codebook.rename", "r", "rename", "Rename", show=True),
        Key("codebook.move", "m", "move", "Move under…", show=True),
        Key("codebook.move-top", "M", "move_top", "Move to top level"),
        Key("codebook.colour", "c", "colour", "Colour", show=True),
        Key("codebook.key", "s", "set_key", "Shortcut key", show=True),
        Key("codebook.define", "e", "define", "Edit definitions", show=True),
        Key("codebook.merge", "g", "merge", "Merge into…", show=True),
        Key("codebook.delete", "x", "delete", "Delete unused code"),
        Key("codebook.back", "q,escape", "back", "Back", show=True, key_display="q"),
    ),
)

DIALOG = KeyGroup(
    "Dialogs",
    (
        Key("dialog.save", "ctrl+s", "save", "Save", show=True),
        Key("dialog.cancel", "escape", "cancel", "Cancel", show=True),
    ),
)

CONFIRM = KeyGroup(
    "Confirm",
    (
        Key("confirm.yes", "y", "answer(True)", "Yes", show=True),
        Key("confirm.no", "n,escape", "answer(False)", "No", show=True, key_display="n"),
    ),
)

FIELDS = ("description", "inclusion", "exclusion", "example")


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    CSS_PATH = "codebook_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*CONFIRM.bindings()]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.question, id="confirm-question", classes="dialog-title")
            if self.detail:
                yield Label(self.detail, id="confirm-detail")
            yield Label("y: yes   n / esc: no", classes="dialog-hint")
        yield KeyFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextPrompt(ModalScreen[str | None]):
    """One line of text (Enter to accept, esc to cancel); dismisses with the text or None.

    With ``submit``, Enter hands the text to it and the prompt stays open: its owner calls
    :meth:`refused` (the reason shows in the prompt, the text can be corrected) or dismisses it.
    """

    CSS_PATH = "codebook_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*DIALOG.bindings()]

    def __init__(
        self,
        title: str,
        value: str = "",
        hint: str = "",
        submit: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, id="prompt-input")
            if self.hint:
                yield Label(self.hint, classes="dialog-hint")
            yield Label("", id="prompt-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def action_save(self) -> None:
        value = self.query_one("#prompt-input", Input).value
        if self.submit is None:
            self.dismiss(value)
            return
        self.refused("")
        self.submit(value)

    def refused(self, reason: str) -> None:
        """Show why the text was not taken (empty: nothing), and let it be corrected."""
        error = self.query_one("#prompt-error", Label)
        error.update(reason)
        error.set_class(bool(reason), "-shown")
        self.query_one("#prompt-input", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DefinitionsEditor(ModalScreen[dict[str, str] | None]):
    """Description, inclusion, exclusion and example of one code; ctrl+s saves."""

    CSS_PATH = "codebook_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*DIALOG.bindings()]

    def __init__(self, details: CodeDetails) -> None:
        super().__init__()
        self.details = details

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="definitions", classes="dialog"):
            yield Label(f"Definitions of {self.details.path}", classes="dialog-title")
            for name in FIELDS:
                yield Label(name.capitalize(), classes="definitions-label")
                yield TextArea(
                    getattr(self.details, name),
                    id=f"def-{name}",
                    soft_wrap=True,
                    tab_behavior="focus",
                )
            yield Label("ctrl+s saves · esc cancels · tab moves on", classes="dialog-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#def-description", TextArea).focus()

    def action_save(self) -> None:
        self.dismiss({name: self.query_one(f"#def-{name}", TextArea).text for name in FIELDS})

    def action_cancel(self) -> None:
        self.dismiss(None)


def details_text(d: CodeDetails) -> Text:
    out = Text.assemble(
        ("■ ", Style(color=d.colour)),
        (d.path, "bold"),
        "\n",
        (f"key {d.key}" if d.key else "no key", "reverse" if d.key else "dim"),
        f"   colour {d.colour}   {d.codings} coding(s) by {d.coders} coder(s)",
        f"   {d.children} sub-code(s)   {d.memos} memo(s)\n",
    )
    for name in FIELDS:
        value = getattr(d, name)
        out.append(f"\n{name.capitalize()}\n", style="bold underline")
        out.append((value or "—") + "\n", style="" if value else "dim")
    return out


class CodebookEditorScreen(DataScreen):
    """Edit the codebook. Built as ``CodebookEditorScreen(ctx)``; ``code_id`` highlights one."""

    CSS_PATH = "codebook_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*CODEBOOK_EDITOR.bindings()]

    class Loaded(Message):
        def __init__(
            self,
            entries: list[CodeEntry],
            counts: dict[int, int],
            details: dict[int, CodeDetails],
            generation: int,
        ) -> None:
            super().__init__()
            self.entries = entries
            self.counts = counts
            self.details = details
            self.generation = generation

    class Edited(Message):
        def __init__(
            self,
            text: str,
            error: str | None = None,
            code_id: int | None = None,
            codings_changed: bool = False,
        ) -> None:
            super().__init__()
            self.text = text
            self.error = error
            self.code_id = code_id
            self.codings_changed = codings_changed

    class MergePlanned(Message):
        def __init__(self, source: int, target: int, summary: str, error: str | None) -> None:
            super().__init__()
            self.source = source
            self.target = target
            self.summary = summary
            self.error = error

    def __init__(self, ctx: AppContext, *, code_id: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[CodeEntry] = []
        self.details: dict[int, CodeDetails] = {}
        self._select_after_load = code_id
        self._pending_highlight: int | None = None
        self._generation = 0
        #: the prompt whose write is on its way: it closes when the write is done
        self._prompt: TextPrompt | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="cbe-main"):
            with Vertical(id="cbe-left"):
                yield Label("Codebook", id="cbe-title")
                yield CodebookTree(id="cbe-tree")
            with VerticalScroll(id="cbe-detail"):
                yield Static("", id="cbe-definitions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(CodebookTree).focus()
        self._load()

    def reload_data(self) -> None:
        self._load()

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        """Read the codebook again (in a worker); only the latest read is shown."""
        self._generation += 1
        self._read(self._generation)

    @work(thread=True, exclusive=True, group="codebook-load")
    def _read(self, generation: int) -> None:
        with self.ctx.project.session() as s:
            entries = codebook_entries(s)
            details = edit.code_details(s)
        counts = {cid: d.codings for cid, d in details.items()}  # code_details counted them
        self.post_message(self.Loaded(entries, counts, details, generation))

    def on_codebook_editor_screen_loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return  # a newer read is on its way
        tree = self.query_one(CodebookTree)
        wanted = self._select_after_load
        if wanted is None or wanted not in message.details:
            # a code still waiting to be highlighted (two reads can cross, e.g. after a
            # merge and on returning from its confirmation) wins over the tree's old cursor
            wanted = self._pending_highlight or tree.selected_code_id
        self._select_after_load = None
        self.entries = message.entries
        self.details = message.details
        tree.set_codes(message.entries, message.counts)
        if wanted is not None and wanted in message.details:
            # The rebuilt tree lays out its lines on the next refresh; move the cursor then.
            self._pending_highlight = wanted
            self.call_after_refresh(self._highlight)
        self.query_one("#cbe-title", Label).update(f"Codebook ({len(self.entries)} codes)")
        self._show_details()

    def _highlight(self) -> None:
        code_id, self._pending_highlight = self._pending_highlight, None
        if code_id is not None:
            self.query_one(CodebookTree).select_code(code_id)
        self._show_details()

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._show_details()

    def _show_details(self) -> None:
        panel = self.query_one("#cbe-definitions", Static)
        d = self.selected
        if d is None and self.entries:
            panel.update(Text("Highlight a code (↑ ↓) to see and edit it.", style="dim"))
        elif d is None:
            panel.update(Text("No code yet: press N to add one.", style="dim"))
        else:
            panel.update(details_text(d))

    @property
    def selected(self) -> CodeDetails | None:
        cid = self.query_one(CodebookTree).selected_code_id
        return self.details.get(cid) if cid is not None else None

    # -- writing ------------------------------------------------------------------------------
    def _write(
        self,
        label: str,
        change: Callable[[Session], EditResult],
        *,
        select: int | None = None,
        codings_changed: bool = False,
    ) -> None:
        """Run one edit in a worker: ``change`` gets a write session (one transaction)."""
        self._run_write(label, change, select, codings_changed)

    @work(thread=True, group="codebook-edit")
    def _run_write(
        self,
        label: str,
        change: Callable[[Session], EditResult],
        select: int | None,
        codings_changed: bool,
    ) -> None:
        try:
            with self.ctx.project.write() as s:
                text, code_id = describe_edit(s, change(s))
                select = code_id if code_id is not None else select
        except QualcodeError as exc:
            self.post_message(self.Edited("", error=str(exc)))
            return
        self.post_message(
            self.Edited(f"{label}: {text}", code_id=select, codings_changed=codings_changed)
        )

    def on_codebook_editor_screen_edited(self, message: Edited) -> None:
        prompt, self._prompt = self._prompt, None
        if prompt is not None and not prompt.is_active:
            prompt = None  # (cancelled meanwhile)
        if message.error is not None:
            if prompt is not None:
                prompt.refused(message.error)
            else:
                self.notify(message.error, severity="error", title="Codebook")
            return
        if prompt is not None:
            prompt.dismiss(None)
        self.notify(message.text, title="Codebook")
        self._select_after_load = message.code_id
        self._load()
        self.post_message(CodebookChanged())
        if message.codings_changed:
            self.post_message(CodingsChanged())

    def _need_code(self) -> CodeDetails | None:
        d = self.selected
        if d is None:
            self.notify("Highlight a code first.", severity="warning")
        return d

    def _ask(self, title: str, value: str, hint: str, then: Callable[[str], None]) -> None:
        """Ask for one line; ``then`` starts the write. The prompt stays open until the write
        is done, and shows the error when it is refused (a bad key, a clash), for correcting."""

        def submit(text: str) -> None:
            self._prompt = prompt
            then(text)

        prompt = TextPrompt(title, value, hint, submit=submit)
        self.app.push_screen(prompt)

    # -- actions ------------------------------------------------------------------------------
    def _add(self, parent: CodeDetails | None) -> None:
        actor = self.ctx.coder
        parent_id = parent.id if parent is not None else None
        where = f"under {parent.path}" if parent is not None else "at the top level"
        self._ask(
            f"New code {where}",
            "",
            "Enter adds it · esc cancels",
            lambda name: self._write(
                "added", lambda s: edit.add_code(s, name, parent=parent_id, actor=actor)
            ),
        )

    def action_new_code(self) -> None:
        self._add(self.selected)

    def action_new_top_code(self) -> None:
        self._add(None)

    def action_rename(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder
        self._ask(
            f"Rename {d.path}",
            d.name,
            "a name, not a path",
            lambda name: self._write(
                "renamed", lambda s: edit.rename_code(s, d.id, name, actor=actor)
            ),
        )

    def _others(self, d: CodeDetails) -> list[CodeEntry]:
        """Codes outside ``d``'s own branch."""
        inside = {d.id}
        for e in self.entries:  # parents come before children
            if e.parent_id in inside:
                inside.add(e.id)
        return [e for e in self.entries if e.id not in inside]

    def action_move(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder

        def chosen(parent_id: int | None) -> None:
            if parent_id is not None:
                self._write("moved", lambda s: edit.move_code(s, d.id, parent_id, actor=actor))

        self.app.push_screen(CodePicker(self._others(d), title=f"Move {d.path} under…"), chosen)

    def action_move_top(self) -> None:
        d = self._need_code()
        if d is not None:
            actor = self.ctx.coder
            self._write("moved", lambda s: edit.move_code(s, d.id, None, actor=actor))

    def action_colour(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder
        self._ask(
            f"Colour of {d.path}",
            d.colour,
            "#rrggbb, e.g. #1f77b4",
            lambda colour: self._write(
                "recoloured", lambda s: edit.recolour_code(s, d.id, colour, actor=actor)
            ),
        )

    def action_set_key(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder
        self._ask(
            f"Shortcut key for {d.path}",
            d.key or "",
            "one lower-case letter or digit; empty clears it",
            lambda key: self._write(
                "key cleared" if not key.strip() else f"key {key.strip()}",
                lambda s: edit.set_key(s, d.id, key.strip() or None, actor=actor),
            ),
        )

    def action_define(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self._write(
                    "definitions saved",
                    lambda s: edit.define_code(s, d.id, actor=actor, **values),
                )

        self.app.push_screen(DefinitionsEditor(d), saved)

    def action_merge(self) -> None:
        d = self._need_code()
        if d is None:
            return

        def chosen(target: int | None) -> None:
            if target is not None:
                self._plan_merge(d.id, target)

        self.app.push_screen(CodePicker(self._others(d), title=f"Merge {d.path} into…"), chosen)

    @work(thread=True, group="codebook-edit")
    def _plan_merge(self, source: int, target: int) -> None:
        try:
            with self.ctx.project.session() as s:
                plan = edit.plan_merge(s, source, target)
        except QualcodeError as exc:
            self.post_message(self.MergePlanned(source, target, "", str(exc)))
            return
        self.post_message(self.MergePlanned(source, target, plan.summary(), None))

    def on_codebook_editor_screen_merge_planned(self, message: MergePlanned) -> None:
        if message.error is not None:
            self.notify(message.error, severity="error", title="Merge")
            return
        source, target = self.details[message.source], self.details[message.target]
        actor = self.ctx.coder

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    "merged",
                    lambda s: edit.merge_codes(s, source.id, target.id, actor=actor),
                    select=target.id,
                    codings_changed=True,
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Merge {source.path} into {target.path}?",
                f"{message.summary}; then {source.path} is deleted.",
            ),
            answered,
        )

    def action_delete(self) -> None:
        d = self._need_code()
        if d is None:
            return
        actor = self.ctx.coder

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    "deleted",
                    lambda s: edit.delete_code(s, d.id, actor=actor),
                    select=d.parent_id,
                )

        self.app.push_screen(
            ConfirmScreen(f"Delete {d.path}?", "Only a code without codings or sub-codes."),
            answered,
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
