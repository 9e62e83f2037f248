"""The qualcode terminal workbench: the App, its screens and the command palette.

``create_app(project, coder)`` builds the app (tests hand it a temporary project);
``run_app(project, coder)`` runs it. The coder comes from ``--coder`` (used as given, never
remembered), else from the user's settings (:mod:`qualcode.tui.user_settings`: per user and per
project, never in the project, which a team may share), else the app asks once and remembers.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen

from qualcode.coding.coders import coder_names
from qualcode.errors import QualcodeError, first_line
from qualcode.store.db import Project, StoreError
from qualcode.store.settings import project_name
from qualcode.tui.context import AppContext
from qualcode.tui.keys import (
    ALL_GROUPS,
    GLOBAL,
    SCREENS,
    Key,
    KeyGroup,
    ScreenEntry,
    read_keymap,
    with_keymap,
)
from qualcode.tui.messages import CodebookChanged, CodingsChanged, OpenDocument
from qualcode.tui.screens.coder_prompt import CoderPrompt
from qualcode.tui.screens.coding import CodingScreen, read_for_coding
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.user_settings import (
    remember_coder,
    remembered_coder,
    settings_file,
    user_keymap,
)
from qualcode.tui.widths import BREAKPOINTS

SCREENS_BY_NAME = {entry.name: entry for entry in SCREENS}


@runtime_checkable
class Refreshable(Protocol):
    def refresh_data(self) -> None: ...


def screen_class(entry: ScreenEntry) -> type[Screen[Any]] | None:
    """The screen class an entry names, or None when its module is not there (yet)."""
    module_name, _, class_name = entry.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    cls = getattr(module, class_name, None)
    return cls if isinstance(cls, type) and issubclass(cls, Screen) else None


def screen_available(entry: ScreenEntry) -> bool:
    module_name = entry.target.partition(":")[0]
    return importlib.util.find_spec(module_name) is not None


def screen_groups(screen: Screen[Any]) -> list[KeyGroup]:
    """The key groups a screen declares (``KEY_GROUPS``), or one made from its bindings."""
    declared = getattr(screen, "KEY_GROUPS", None)
    if declared:
        return list(declared)
    keys = tuple(
        Key(b.id or b.action, b.key, b.action, b.description, help=b.tooltip)
        for b in Binding.make_bindings(type(screen).BINDINGS)
        if b.description and not b.system
    )
    title = getattr(screen, "TITLE", None) or type(screen).__name__
    return [KeyGroup(str(title), keys)] if keys else []


class QualcodeCommands(Provider):
    """Every action of the key map for the active screen, the screens, and the codes."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        screen = self.screen
        keymap: dict[str, str] = getattr(app, "user_keys", {})
        groups = [with_keymap(g, keymap) for g in (GLOBAL, *screen_groups(screen))]
        for group in groups:
            for key in group.keys:
                if not key.palette or key.action == "command_palette":
                    continue
                if key.action.startswith("open_screen("):
                    name = key.action.split("'")[1]
                    if not screen_available(SCREENS_BY_NAME[name]):
                        continue
                target = app if group.scope == "app" else screen
                yield key.long, key.display, partial(target.run_action, key.action)
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()

    async def discover(self) -> Hits:
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)


class QualcodeApp(App[None], inherit_bindings=False):
    """The workbench. Screens get an AppContext (project, coder, undo history)."""

    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    BINDINGS: ClassVar[list[BindingType]] = [
        *GLOBAL.bindings(),
        # Textual's reminder that ctrl+c does not quit (ctrl+q does)
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help-quit"),
    ]
    COMMANDS = App.COMMANDS | {QualcodeCommands}
    #: the screen's width class: layouts give way below these widths (app.tcss, screens' .tcss)
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS

    class CoderResolved(Message):
        def __init__(self, project_name: str, remembered: str | None, known: list[str]) -> None:
            super().__init__()
            self.project_name = project_name
            self.remembered = remembered
            self.known = known

    def __init__(self, project: Project, coder: str | None = None) -> None:
        super().__init__()
        collect_garbage_less_often()
        self.project = project
        self.requested_coder = coder.strip() if coder else None
        self.ctx: AppContext | None = None
        #: screens kept when closed (``ScreenEntry.keep``), by name
        self._kept: dict[str, Screen[Any]] = {}
        #: the user's own key bindings (binding id -> keys), from the settings file
        self.user_keys, self._keymap_problems = read_keymap(user_keymap())
        self.set_keymap(self.user_keys)

    # -- start: who is coding ----------------------------------------------------------------------
    def on_mount(self) -> None:
        for problem in self._keymap_problems:
            self.notify(f"{settings_file()}: {problem}", severity="warning", timeout=10)
        self._resolve_coder()

    def on_unmount(self) -> None:
        if self.ctx is not None:
            self.ctx.coding.stop()

    @work(thread=True, group="startup")
    def _resolve_coder(self) -> None:
        with self.project.session() as s:
            name = project_name(s) or "qualcode project"
            known = coder_names(s)
        # --coder wins and leaves the user's settings alone; otherwise the name this user
        # chose for this project before (the project itself may be shared by a team)
        remembered = None if self.requested_coder else remembered_coder(self.project.url)
        self.post_message(self.CoderResolved(name, remembered, known))

    @on(CoderResolved)
    def _coder_resolved(self, message: CoderResolved) -> None:
        self.title = message.project_name
        coder = self.requested_coder or message.remembered
        if coder:
            self.start(coder)
        else:
            self.push_screen(CoderPrompt(message.known), self._chosen)

    def _chosen(self, coder: str | None) -> None:
        """The prompt was answered: remember the name for this project, then start."""
        if coder:
            self._remember(coder)
        self.start(coder)

    def start(self, coder: str | None) -> None:
        """Open the project screen as ``coder``."""
        if not coder:
            self.push_screen(CoderPrompt(), self._chosen)
            return
        self.ctx = AppContext.create(self.project, coder)
        where = self.project.path.name if self.project.path else self.project.display_name
        self.sub_title = f"coder: {coder} · {where}"
        self.push_screen(ProjectScreen(self.ctx))

    @work(thread=True, group="startup")
    def _remember(self, coder: str) -> None:
        try:
            remember_coder(self.project.url, coder)
        except OSError as exc:
            self.call_from_thread(
                self.notify,
                f"could not remember the coder: {exc.strerror or exc}",
                severity="warning",
            )

    # -- screens -----------------------------------------------------------------------------------
    def on_open_document(self, message: OpenDocument) -> None:
        if self.ctx is None:
            return
        coding = next((s for s in self.screen_stack if isinstance(s, CodingScreen)), None)
        if coding is not None:
            while self.screen is not coding:
                self.pop_screen()
            coding.open_document(message.document_id, message.start, message.end)
            return
        start, end = message.start, message.end
        self._read_and_open(
            message.document_id, None if start is None or end is None else (start, end)
        )

    @work(thread=True, exclusive=True, group="open-document")
    def _read_and_open(self, document_id: int, span: tuple[int, int] | None) -> None:
        """Read the document first, then build the coding screen with it: it shows the text
        as soon as it is mounted (and the read does not compete with the mounting)."""
        try:
            read = read_for_coding(
                self.project, document_id, span, self.ctx.coder if self.ctx else None
            )
        except (QualcodeError, StoreError) as exc:
            self.call_from_thread(self.notify, first_line(exc), severity="error")
            return
        self.call_from_thread(self._open_read, read)

    def _open_read(self, read: CodingScreen.Loaded) -> None:
        if self.ctx is None or any(isinstance(s, CodingScreen) for s in self.screen_stack):
            return
        start, end = read.span if read.span is not None else (None, None)
        self.push_screen(CodingScreen(self.ctx, read.data.id, start, end, read=read))

    def action_open_screen(self, name: str) -> None:
        if self.ctx is None:
            return
        entry = SCREENS_BY_NAME[name]
        try:
            cls = screen_class(entry)
        except Exception as exc:  # a broken screen module must not take the app down
            self.notify(f"{entry.title} cannot open: {exc}", severity="error")
            return
        if cls is None:
            self.notify(f"{entry.title} is not available yet", severity="warning")
            return
        for screen in self.screen_stack:
            if type(screen) is cls:
                while self.screen is not screen:
                    self.pop_screen()
                return
        kept = self._kept.get(name)
        if kept is not None:
            self.push_screen(kept)
            return
        factory: Callable[[AppContext], Screen[Any]] = cls
        opened = factory(self.ctx)
        if entry.keep:  # installed: closing it does not remove it, its form stays filled
            self.install_screen(opened, f"kept-{name}")
            self._kept[name] = opened
        self.push_screen(opened)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        first = screen_groups(self.screen)
        groups = [
            with_keymap(g, self.user_keys)
            for g in (*first, *(g for g in ALL_GROUPS if g not in first))
        ]
        codes = getattr(self.screen, "code_order", [])
        self.push_screen(HelpScreen(groups, codes))

    def action_refresh(self) -> None:
        screen = self.screen
        if isinstance(screen, Refreshable):
            screen.refresh_data()
            self.notify("refreshed from the project", timeout=2)

    # -- changes made on one screen reach the others ---------------------------------------------
    def on_codings_changed(self, message: CodingsChanged) -> None:
        self._refresh_others()

    def on_codebook_changed(self, message: CodebookChanged) -> None:
        self._refresh_others()

    def _refresh_others(self) -> None:
        screens = {id(s): s for s in (*self.screen_stack, *self._kept.values())}
        for screen in screens.values():
            if screen is not self.screen and isinstance(screen, Refreshable):
                screen.refresh_data()


#: gc thresholds for the interactive app (CPython's default is (700, 10, 10))
GC_THRESHOLDS = (10_000, 20, 20)


def collect_garbage_less_often() -> None:
    """Textual makes many short-lived objects per paint (strips, segments) and a transcript
    many long-lived ones; with CPython's default thresholds a collection runs every 700
    allocations, and the full ones walk every widget and line. Opening a 50,000-word
    transcript spent a third of its time there (about 550 ms against 350 with these)."""
    if gc.get_threshold()[0] < GC_THRESHOLDS[0]:
        gc.set_threshold(*GC_THRESHOLDS)


def create_app(project: Project, coder: str | None = None) -> QualcodeApp:
    """The app on an open project; ``coder`` None asks (or uses the remembered coder)."""
    return QualcodeApp(project, coder)


def run_app(project: Project, coder: str | None = None) -> None:
    create_app(project, coder).run()
