"""The export screen: the project as an Excel workbook, a folder of CSV files, a REFI-QDA
project (.qdpx) or codebook (.qdc), written by the same functions as ``qualcode export``
(through :func:`qualcode.interop.export_all.run_export`).

The export runs in a worker thread that posts :class:`ExportScreen.Progress` for each stage and
:class:`ExportScreen.Finished` (where the file went and its size) or :class:`ExportScreen.Failed`
(one line); only the main thread touches the widgets.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
)

from qualcode.errors import QualcodeError
from qualcode.interop.export_all import (
    FORMATS,
    STEPS,
    ExportDone,
    ExportFormat,
    ExportProgress,
    default_output,
    human_size,
    project_label,
    run_export,
    with_format,
)
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.widgets.key_footer import KeyFooter

EXPORT = KeyGroup(
    "Export screen",
    (
        Key(
            "export.run",
            "e,ctrl+s",
            "run_export",
            "Export",
            True,
            help="Write the export (Enter in the path does too)",
        ),
        Key("export.format", "f", "cycle_format", "Format", True, help="Next export format"),
        Key("export.path", "p", "focus_field('#export-path')", "Path", True, help="Edit the path"),
        Key("export.mine", "m", "toggle_mine", "Only mine", True, help="Only my codings (or all)"),
        Key("export.escape", "escape", "escape", "Leave the path / close"),
        Key("export.back", "q", "back", "Back", True, help="Back to the previous screen"),
    ),
)


class ExportScreen(Screen[None]):
    """Built as ``ExportScreen(ctx)``."""

    CSS_PATH = "export.tcss"
    TITLE = "Export"
    BINDINGS: ClassVar[list[BindingType]] = [*EXPORT.bindings()]

    class Loaded(Message):
        """The project's name, for the default file name."""

        def __init__(self, project_name: str) -> None:
            super().__init__()
            self.project_name = project_name

    class Progress(Message):
        def __init__(self, progress: ExportProgress) -> None:
            super().__init__()
            self.progress = progress

    class Finished(Message):
        def __init__(self, done: ExportDone) -> None:
            super().__init__()
            self.done = done

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.format: ExportFormat = FORMATS[0]
        self.project_name: str | None = None
        self.running = False
        #: an existing target the user was warned about: the next run replaces it
        self.confirmed: Path | None = None
        #: the last export's result or error (tests wait on these)
        self.done: ExportDone | None = None
        self.error: str | None = None

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="export-form"):
            yield Label("Export the project", id="export-title")
            yield Label("Format", classes="export-label")
            with RadioSet(id="export-format"):
                for i, fmt in enumerate(FORMATS):
                    yield RadioButton(fmt.label, value=i == 0, id=f"export-format-{fmt.key}")
            yield Label(f"Save to (relative to {Path.cwd()})", classes="export-label")
            with Horizontal(id="export-path-row"):
                yield Input(placeholder="exports/project.xlsx", id="export-path")
                yield Button("Export", id="export-run", variant="primary")
            yield Checkbox(f"Only my codings ({self.ctx.coder})", id="export-mine")
            yield Label("", id="export-mine-note")
        with Vertical(id="export-status"):
            yield ProgressBar(total=STEPS, show_eta=False, id="export-progress")
            yield Label("", id="export-stage")
            yield Label("", id="export-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()
        self._show_format()
        self._load()

    @work(thread=True, exclusive=True, group="export-load")
    def _load(self) -> None:
        try:
            name = project_label(self.ctx.project)
        except Exception:  # the project name is only for the default file name
            name = "project"
        self.post_message(self.Loaded(name))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.project_name = message.project_name
        path = self.query_one("#export-path", Input)
        if not path.value:
            path.value = str(default_output(message.project_name, self.format))

    # -- the form ---------------------------------------------------------------------------------
    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.set_format(FORMATS[event.index])

    def set_format(self, fmt: ExportFormat) -> None:
        if fmt == self.format:
            return
        self.format = fmt
        path = self.query_one("#export-path", Input)
        path.value = with_format(path.value, fmt)
        self.confirmed = None
        buttons = list(self.query_one("#export-format", RadioSet).query(RadioButton))
        index = FORMATS.index(fmt)
        if not buttons[index].value:
            buttons[index].value = True
        self._show_format()

    def _show_format(self) -> None:
        mine = self.query_one("#export-mine", Checkbox)
        mine.disabled = not self.format.filters_coder
        note = "" if self.format.filters_coder else "REFI-QDA files hold every coder's codings"
        if self.format.key == "qdc":
            note = "a codebook holds codes only, no codings"
        self.query_one("#export-mine-note", Label).update(note)

    def action_cycle_format(self) -> None:
        index = FORMATS.index(self.format)
        self.set_format(FORMATS[(index + 1) % len(FORMATS)])

    def action_toggle_mine(self) -> None:
        mine = self.query_one("#export-mine", Checkbox)
        if not mine.disabled:
            mine.value = not mine.value

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self.confirmed = None

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-run")
    def _submitted(self) -> None:
        self.action_run_export()

    # -- exporting --------------------------------------------------------------------------------
    def action_run_export(self) -> None:
        if self.running:
            self.notify("an export is running", severity="warning")
            return
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._show_error("give a file name to export to")
            return
        target = Path(value).expanduser().absolute()
        if target.exists() and self.confirmed != target:
            self.confirmed = target
            what = "folder" if target.is_dir() else "file"
            self._show_stage(f"{target} exists: export again (e or Enter) to replace the {what}")
            return
        self.confirmed = None
        mine = self.query_one("#export-mine", Checkbox)
        coder = self.ctx.coder if mine.value and self.format.filters_coder else None
        self.running = True
        self.done, self.error = None, None
        self.query_one("#export-run", Button).disabled = True
        self.query_one("#export-progress", ProgressBar).update(total=STEPS, progress=0)
        self.query_one("#export-result", Label).update("")
        self._show_stage("starting…")
        self._export(self.format.key, value, coder)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, format_key: str, path: str, coder: str | None) -> None:
        def progress(p: ExportProgress) -> None:
            self.post_message(self.Progress(p))

        try:
            done = run_export(self.ctx.project, format_key, path, coder=coder, progress=progress)
        except QualcodeError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        except Exception as exc:  # one line on screen, never a traceback over the app
            self.post_message(self.Failed(f"export failed: {type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Finished(done))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        p = message.progress
        self.query_one("#export-progress", ProgressBar).update(total=p.total, progress=p.step)
        self._show_stage(p.stage)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        done = message.done
        self.running = False
        self.done = done
        self.query_one("#export-run", Button).disabled = False
        self.query_one("#export-progress", ProgressBar).update(total=STEPS, progress=STEPS)
        self._show_stage(f"{done.format.label}: {done.summary}")
        result = self.query_one("#export-result", Label)
        result.update(
            Text.assemble("Written to ", (str(done.path), "bold"), f"  ({human_size(done.size)})")
        )
        result.set_class(False, "-error")

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.running = False
        self.query_one("#export-run", Button).disabled = False
        self.query_one("#export-progress", ProgressBar).update(total=STEPS, progress=0)
        self._show_stage("")
        self._show_error(message.error)

    def _show_error(self, error: str) -> None:
        self.error = " ".join(error.split())  # one line
        result = self.query_one("#export-result", Label)
        result.update(Text(self.error))
        result.set_class(True, "-error")

    def _show_stage(self, text: str) -> None:
        self.query_one("#export-stage", Label).update(text)

    # -- leaving ----------------------------------------------------------------------------------
    def action_escape(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#export-format", RadioSet).focus()
        else:
            self.action_back()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
