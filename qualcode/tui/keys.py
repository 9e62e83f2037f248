"""The key map: every key binding of the workbench, in one place.

Screens and widgets build their ``BINDINGS`` from these groups; the help screen and the command
palette list them. Each binding has an id (``group.action``), so a user keymap can rebind it.

Keys of codes are one lower-case letter or digit from the codebook. The coding screen's own
single-letter actions use only the letters reserved for it (``RESERVED_KEYS``: a c e f g m n q r
s t u v w x), upper-case letters, punctuation, and ctrl/shift/function keys.

Other screens (retrieval, auto-code, codebook editor, agreement, dashboard, export) are listed in
``SCREENS``: adding a screen is one line there.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One action and the keys that run it."""

    id: str
    keys: str
    action: str
    description: str
    show: bool = False
    key_display: str | None = None
    priority: bool = False
    palette: bool = True
    #: a longer description for the help screen and the command palette
    help: str = ""

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            tooltip=self.help,
            id=self.id,
        )

    @property
    def long(self) -> str:
        return self.help or self.description

    @property
    def display(self) -> str:
        """The keys as people read them: ``u, ctrl+z``."""
        if self.key_display:
            return self.key_display
        return ", ".join(_KEY_NAMES.get(k, k) for k in self.keys.split(","))


@dataclass(frozen=True)
class KeyGroup:
    title: str
    keys: tuple[Key, ...]
    #: run the group's actions on the app (``app``) or on the active screen (``screen``)
    scope: str = "screen"

    def bindings(self) -> list[BindingType]:
        return [k.binding() for k in self.keys]


@dataclass(frozen=True)
class ScreenEntry:
    """A screen that opens from anywhere: ``target`` is ``module:Class``, built as Class(ctx)."""

    name: str
    key: str
    title: str
    description: str
    target: str


SENTENCE_HELP = "Select the sentence here (again: add the next sentence)"

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "escape": "esc",
}

#: Screens opened by a function key from anywhere, and from the command palette.
SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "project",
        "f2",
        "Project",
        "Documents, participants and the codebook",
        "qualcode.tui.screens.project:ProjectScreen",
    ),
    ScreenEntry(
        "retrieval",
        "f3",
        "Retrieval",
        "Coded segments by code, in context",
        "qualcode.tui.screens.retrieval:RetrievalScreen",
    ),
    ScreenEntry(
        "codebook",
        "f4",
        "Codebook editor",
        "Add, rename, move, recolour and merge codes",
        "qualcode.tui.screens.codebook_editor:CodebookEditorScreen",
    ),
    ScreenEntry(
        "autocode",
        "f6",
        "Auto-code",
        "Code matches of a search across documents",
        "qualcode.tui.screens.autocode:AutocodeScreen",
    ),
    ScreenEntry(
        "agreement",
        "f7",
        "Agreement",
        "Compare coders, measure agreement and settle disagreements",
        "qualcode.tui.screens.supervisor:SupervisorScreen",
    ),
    ScreenEntry(
        "dashboard",
        "f8",
        "Dashboard",
        "Coding progress across the project",
        "qualcode.tui.screens.dashboard:DashboardScreen",
    ),
    ScreenEntry(
        "export",
        "f9",
        "Export",
        "Excel workbook, CSV files, REFI-QDA project or codebook",
        "qualcode.tui.screens.export:ExportScreen",
    ),
)

GLOBAL = KeyGroup(
    "Everywhere",
    (
        Key("app.help", "question_mark,f1", "help", "Help", show=True, key_display="?"),
        Key("app.palette", "ctrl+p", "command_palette", "Commands", show=True, priority=True),
        Key("app.refresh", "f5,ctrl+r", "refresh", "Refresh from the project", key_display="F5"),
        Key("app.quit", "ctrl+q", "quit", "Quit", priority=True),
        *(Key(f"app.screen.{s.name}", s.key, f"open_screen('{s.name}')", s.title) for s in SCREENS),
    ),
    scope="app",
)

PROJECT = KeyGroup(
    "Project screen",
    (
        Key("project.open", "enter", "open_document", "Open document", show=True),
        Key("project.focus-codebook", "ctrl+b", "focus_codebook", "Go to the codebook"),
        Key("project.focus-documents", "ctrl+d", "focus_documents", "Go to the documents"),
        Key("project.quit", "q", "app.quit", "Quit", show=True),
    ),
)

CODING = KeyGroup(
    "Coding screen",
    (
        Key(
            "coding.codebook",
            "ctrl+b",
            "toggle_codebook",
            "Codebook",
            True,
            help="Show and go to the codebook; again: hide it",
        ),
        Key(
            "coding.codings",
            "g",
            "toggle_codings",
            "Codings",
            True,
            help="Show and go to the list of codings; again: hide it",
        ),
        Key("coding.pick", "c", "pick_code", "Code", True, help="Code the selection: pick a code"),
        Key(
            "coding.again", "a", "apply_last", "Again", help="Code the selection with the last code"
        ),
        Key("coding.sentence", "s", "select_sentence", "Sentence", True, help=SENTENCE_HELP),
        Key("coding.turn", "t", "select_turn", "Turn", True, help="Select the speaker turn"),
        Key("coding.remove", "x", "remove_coding", "Remove", True, help="Remove my coding here"),
        Key("coding.recode", "r", "recode", "Re-code", help="Give my coding here another code"),
        Key("coding.extend", "e", "resize('end', 1)", "Extend", help="Extend my coding by a word"),
        Key(
            "coding.extend-start",
            "E",
            "resize('start', -1)",
            "Extend start",
            help="Extend my coding's start back by a word",
        ),
        Key("coding.shrink", "w", "resize('end', -1)", "Shrink", help="Shrink my coding by a word"),
        Key(
            "coding.shrink-start",
            "W",
            "resize('start', 1)",
            "Shrink start",
            help="Move my coding's start forward by a word",
        ),
        Key("coding.undo", "u,ctrl+z", "undo", "Undo", True, help="Undo the last coding change"),
        Key("coding.redo", "U,ctrl+y", "redo", "Redo", help="Redo the change undone last"),
        Key("coding.memo", "m", "memo", "Memo", True, help="Memo on my coding here (or document)"),
        Key("coding.memo-document", "M", "memo_document", "Doc memo", help="Memo on the document"),
        Key(
            "coding.memo-code",
            "ctrl+k",
            "memo_code",
            "Code memo",
            help="Memo on the code highlighted in the codebook",
        ),
        Key("coding.next", "n", "jump(1)", "Next", help="Next coding of the highlighted code"),
        Key("coding.previous", "N", "jump(-1)", "Previous", help="Previous coding of that code"),
        Key("coding.search", "slash", "search", "Search", True, help="Search the text"),
        Key("coding.search-next", "ctrl+g", "search_next", "Next match", help="Next search match"),
        Key("coding.speaker", "f", "cycle_speaker", "Speaker", help="Filter by speaker (cycles)"),
        Key("coding.view", "v", "cycle_view", "View", True, help="Mine / another coder's / all"),
        Key("coding.clear", "escape", "clear_selection", "Clear", help="Clear selection, search"),
        Key("coding.text", "ctrl+t", "focus_text", "Text", help="Go to the text"),
        Key("coding.back", "q", "back", "Back", True, help="Back to the project"),
    ),
)

TRANSCRIPT = KeyGroup(
    "Moving and selecting in the text",
    (
        Key("text.up", "up", "cursor_up", "Up", palette=False),
        Key("text.down", "down", "cursor_down", "Down", palette=False),
        Key("text.left", "left", "cursor_left", "Left", palette=False),
        Key("text.right", "right", "cursor_right", "Right", palette=False),
        Key("text.word-left", "ctrl+left", "cursor_word_left", "Word left", palette=False),
        Key("text.word-right", "ctrl+right", "cursor_word_right", "Word right", palette=False),
        Key(
            "text.sentence-next",
            "ctrl+down,right_parenthesis",
            "sentence(1)",
            "Next sentence",
            palette=False,
        ),
        Key(
            "text.sentence-previous",
            "ctrl+up,left_parenthesis",
            "sentence(-1)",
            "Previous sentence",
            palette=False,
        ),
        Key("text.turn-next", "right_curly_bracket", "turn(1)", "Next speaker turn"),
        Key("text.turn-previous", "left_curly_bracket", "turn(-1)", "Previous speaker turn"),
        Key("text.home", "home", "cursor_line_start", "Line start", palette=False),
        Key("text.end", "end", "cursor_line_end", "Line end", palette=False),
        Key("text.top", "ctrl+home", "document_edge(-1)", "Start of text"),
        Key("text.bottom", "ctrl+end", "document_edge(1)", "End of text"),
        Key("text.page-up", "pageup", "cursor_page_up", "Page up", palette=False),
        Key("text.page-down", "pagedown", "cursor_page_down", "Page down", palette=False),
        Key("text.select-left", "shift+left", "cursor_left(True)", "Select left", palette=False),
        Key(
            "text.select-right", "shift+right", "cursor_right(True)", "Select right", palette=False
        ),
        Key("text.select-up", "shift+up", "cursor_up(True)", "Select up", palette=False),
        Key("text.select-down", "shift+down", "cursor_down(True)", "Select down", palette=False),
        Key(
            "text.select-word-left",
            "ctrl+shift+left",
            "cursor_word_left(True)",
            "Select word left",
            palette=False,
        ),
        Key(
            "text.select-word-right",
            "ctrl+shift+right",
            "cursor_word_right(True)",
            "Select word right",
            palette=False,
        ),
        Key(
            "text.select-sentence-next",
            "ctrl+shift+down",
            "sentence(1, True)",
            "Select to next sentence end",
            palette=False,
        ),
        Key(
            "text.select-sentence-previous",
            "ctrl+shift+up",
            "sentence(-1, True)",
            "Select to previous sentence start",
            palette=False,
        ),
        Key(
            "text.select-home",
            "shift+home",
            "cursor_line_start(True)",
            "Select to line start",
            palette=False,
        ),
        Key(
            "text.select-end",
            "shift+end",
            "cursor_line_end(True)",
            "Select to line end",
            palette=False,
        ),
    ),
)

CODING_LIST = KeyGroup(
    "List of codings (side panel)",
    (
        Key("list.choose", "enter", "choose", "Go to", show=True, help="Go to the coding"),
        Key("list.down", "down", "move(1)", "Next coding", palette=False),
        Key("list.up", "up", "move(-1)", "Previous coding", palette=False),
        Key("list.page-down", "pagedown", "page(1)", "Page down", palette=False),
        Key("list.page-up", "pageup", "page(-1)", "Page up", palette=False),
        Key("list.first", "home", "edge(-1)", "First coding", palette=False),
        Key("list.last", "end", "edge(1)", "Last coding", palette=False),
    ),
)

PICKER = KeyGroup(
    "Code picker",
    (
        Key("picker.choose", "enter", "choose", "Choose code", show=True),
        Key("picker.down", "down", "move(1)", "Next code", palette=False),
        Key("picker.up", "up", "move(-1)", "Previous code", palette=False),
        Key("picker.cancel", "escape", "cancel", "Cancel", show=True),
    ),
)

MEMO = KeyGroup(
    "Memo editor",
    (
        Key("memo.save", "ctrl+s", "save", "Save memo", show=True),
        Key("memo.cancel", "escape", "cancel", "Cancel", show=True),
    ),
)

HELP = KeyGroup(
    "Help",
    (Key("help.close", "escape,q,question_mark,f1", "close", "Close help", show=True),),
)

#: Every group, in the order the help screen lists them.
ALL_GROUPS: tuple[KeyGroup, ...] = (
    GLOBAL,
    PROJECT,
    CODING,
    TRANSCRIPT,
    CODING_LIST,
    PICKER,
    MEMO,
    HELP,
)


def all_ids() -> list[str]:
    return [k.id for group in ALL_GROUPS for k in group.keys]
