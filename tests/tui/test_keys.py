"""The key map's rules: every binding has an id; the coding screen's letter keys are only the
reserved ones (codes get the rest); every action exists."""

from __future__ import annotations

import importlib
import inspect
import string
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import qualcode.tui
from qualcode.codebook.model import RESERVED_KEYS
from qualcode.features import FEATURES
from qualcode.tui.app import QualcodeApp
from qualcode.tui.keys import (
    ALL_GROUPS,
    CODING,
    CODING_LIST,
    GLOBAL,
    PROJECT,
    TRANSCRIPT,
    all_ids,
)
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.memo import MemoScreen
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.widgets.coding_list import CodingList
from qualcode.tui.widgets.transcript import TranscriptView

CODE_KEYS = set(string.ascii_lowercase + string.digits)


def test_binding_ids_are_unique() -> None:
    ids = all_ids()
    assert len(ids) == len(set(ids))
    assert all(ids)


def test_the_coding_screen_uses_only_reserved_single_keys() -> None:
    """A code's key (a lower-case letter or digit) can never clash with an action."""
    for group in (CODING, TRANSCRIPT, GLOBAL):
        for key in group.keys:
            for name in key.keys.split(","):
                if name in CODE_KEYS:
                    assert name in RESERVED_KEYS, f"{key.id} uses {name!r}"


def tui_classes_with_bindings() -> list[type[DOMNode]]:
    """Every screen, widget and app class defined in ``qualcode.tui`` and in the study
    features' faces (all their modules)."""
    found: list[type[DOMNode]] = []
    tui = Path(qualcode.tui.__file__).parent
    roots = [tui, *(tui.parent.joinpath(*f.split(".")[1:], "faces") for f in FEATURES)]
    for path in sorted(p for root in roots for p in root.rglob("*.py")):
        parts = path.relative_to(tui.parent.parent).with_suffix("").parts
        module = importlib.import_module(".".join(p for p in parts if p != "__init__"))
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, DOMNode)
                and obj.__module__ == module.__name__
            ):
                found.append(obj)
    return found


def test_every_widget_and_screen_binding_has_an_id() -> None:
    owners = tui_classes_with_bindings()
    names = {o.__name__ for o in owners}
    # the walk must reach the screens of every package (a test that cannot fail is a defect)
    assert {"CodingScreen", "DashboardScreen", "SupervisorScreen", "CodingList"} <= names
    assert {"CaseloadReviewScreen", "CaseloadPanel"} <= names
    for owner in owners:
        for binding in Binding.make_bindings(owner.__dict__.get("BINDINGS", [])):
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"


def test_every_action_exists() -> None:
    targets = {
        "Everywhere": QualcodeApp,
        PROJECT.title: ProjectScreen,
        CODING.title: CodingScreen,
        TRANSCRIPT.title: TranscriptView,
        CODING_LIST.title: CodingList,
        "Code picker": CodePicker,
        "Memo editor": MemoScreen,
        "Help": HelpScreen,
    }
    for group in ALL_GROUPS:
        for key in group.keys:
            owner: type = targets[group.title]
            action = key.action.split("(")[0]
            if action.startswith("app."):
                owner, action = QualcodeApp, action[4:]
            assert hasattr(owner, f"action_{action}"), f"{key.id}: no action_{action}"
