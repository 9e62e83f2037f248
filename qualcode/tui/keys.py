"""The key map: every key binding of the workbench, in one place.

Screens and widgets build their ``BINDINGS`` from these groups; the help screen and the command
palette list them. Each binding has an id (``group.action``), so a user keymap can rebind it.

Keys of codes are one lower-case letter or digit from the codebook. The coding screen's own
single-letter actions use only the letters reserved for it (``RESERVED_KEYS``: a c e f g m n q r
s t u v w x), upper-case letters, punctuation, and ctrl/shift/function keys.

A user keymap (binding id -> keys) in the settings file rebinds any of them:
:func:`read_keymap` checks it, the app applies it with Textual's ``set_keymap``.

Other screens (retrieval, auto-code, codebook editor, agreement, dashboard, export) are listed in
``SCREENS``: adding a screen is one line there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from textual.binding import Binding, BindingType

from qualcode.codebook.model import RESERVED_KEYS


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
        """The keys as people read them: ``u, ctrl+z``, ``F2``."""
        if self.key_display:
            return self.key_display
        return ", ".join(key_name(k) for k in self.keys.split(","))


def key_name(key: str) -> str:
    """One key as people read it: ``?`` for question_mark, ``F5`` for f5."""
    key = key.strip()
    if re.fullmatch(r"f\d{1,2}", key):
        return key.upper()
    return _KEY_NAMES.get(key, key)


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
    #: the screen is kept when closed: opening it again shows it as it was (its query)
    keep: bool = False


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
        keep=True,
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
        keep=True,
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
    ScreenEntry(
        "memos",
        "f10",
        "Memos",
        "Every memo, searchable; Enter opens what it is on",
        "qualcode.tui.screens.memo_list:MemoListScreen",
    ),
    ScreenEntry(
        "suggestions",
        "f11",
        "Suggestions",
        "Review the code suggester's suggestions, code by code, best first",
        "qualcode.tui.screens.suggestions:SuggestionReviewScreen",
    ),
    ScreenEntry(
        "pseudonyms",
        "f12",
        "Pseudonyms",
        "Identifiers to replace in share packages: review each in context",
        "qualcode.tui.screens.pseudonyms:PseudonymScreen",
    ),
)

GLOBAL = KeyGroup(
    "Everywhere",
    (
        Key("app.help", "question_mark,f1", "help", "Help", show=True, key_display="?"),
        Key("app.palette", "ctrl+p", "command_palette", "Commands", show=True, priority=True),
        Key("app.refresh", "f5,ctrl+r", "refresh", "Refresh from the project"),
        Key("app.quit", "ctrl+q", "quit", "Quit", priority=True),
        *(Key(f"app.screen.{s.name}", s.key, f"open_screen('{s.name}')", s.title) for s in SCREENS),
    ),
    scope="app",
)

PROJECT = KeyGroup(
    "Project screen",
    (
        Key("project.open", "enter", "open_document", "Open document", show=True),
        Key(
            "project.rename",
            "r",
            "rename_document",
            "Rename document",
            help="Rename the highlighted document",
        ),
        Key(
            "project.delete",
            "d,delete",
            "delete_document",
            "Delete document",
            help="Delete the highlighted document (asks first; says how many codings go with it)",
        ),
        Key(
            "project.resegment",
            "t",
            "resegment_document",
            "Re-cut turns",
            help="Cut the highlighted document's speaker turns again, with a turn-label pattern",
        ),
        Key(
            "project.attributes",
            "e",
            "edit_attributes",
            "Edit attributes",
            help="Edit the highlighted participant's attributes (key=value ...)",
        ),
        Key(
            "project.participant",
            "n",
            "new_participant",
            "New participant",
            help="Add a participant with attributes (LABEL key=value ...)",
        ),
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
        Key(
            "coding.suggestions",
            "S",
            "toggle_suggestions",
            "Suggestions",
            help="Show or hide the code suggester's layer (train it first: F11 or the CLI)",
        ),
        Key(
            "coding.accept-suggestion",
            "A",
            "accept_suggestion",
            "Accept suggestion",
            help="Code the suggestion at the cursor (u undoes it)",
        ),
        Key(
            "coding.reject-suggestion",
            "X",
            "reject_suggestion",
            "Reject suggestion",
            help="Turn down the suggestion at the cursor (a negative for the next training)",
        ),
        Key(
            "coding.similar",
            "L",
            "more_like_this",
            "More like this",
            help="Passages most like the coding at the cursor, not yet coded with its code",
        ),
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


#: groups whose keys work in the coding screen, where a code's key is a letter or digit
_CODE_KEY_GROUPS = (GLOBAL, CODING, TRANSCRIPT)


def read_keymap(raw: object) -> tuple[dict[str, str], list[str]]:
    """A user's keymap (binding id -> keys, ``"coding.remove": "x,delete"``) checked: what can
    be applied, and one line for each entry left out. Ids of this module's groups must exist;
    a key of the coding screen may not be a letter or digit that codes use (only the reserved
    ones); other screens' ids (``retrieval.*``...) are passed on as they are."""
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, ['"keys" must map binding ids to keys, like {"coding.remove": "x,delete"}']
    known = set(all_ids())
    prefixes = {i.split(".", 1)[0] for i in known}
    coding_ids = {k.id for group in _CODE_KEY_GROUPS for k in group.keys}
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f'{binding_id}: keys must be text, like "x,delete"')
            continue
        if binding_id not in known and str(binding_id).split(".", 1)[0] in prefixes:
            problems.append(f"{binding_id}: no such key binding (see the help screen, ?)")
            continue
        names = [k.strip() for k in keys.split(",") if k.strip()]
        taken = [k for k in names if _is_code_key(k)]
        if binding_id in coding_ids and taken:
            problems.append(
                f"{binding_id}: {', '.join(taken)} belongs to codes; use one of "
                f"{' '.join(sorted(RESERVED_KEYS))}, a capital, or a ctrl/function key"
            )
            continue
        keymap[str(binding_id)] = ",".join(names)
    return keymap, problems


def _is_code_key(key: str) -> bool:
    return len(key) == 1 and (key.islower() or key.isdigit()) and key not in RESERVED_KEYS


def with_keymap(group: KeyGroup, keymap: Mapping[str, str]) -> KeyGroup:
    """The group as the user's keymap binds it (for the help screen and the palette)."""
    if not any(k.id in keymap for k in group.keys):
        return group
    keys = tuple(
        replace(k, keys=keymap[k.id], key_display=None) if k.id in keymap else k for k in group.keys
    )
    return replace(group, keys=keys)
