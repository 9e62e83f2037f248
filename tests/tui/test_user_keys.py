"""The user's own key bindings: read from the settings file, applied with Textual's keymap,
shown by the help screen; bad entries are left out with a warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from qualcode.coding.history import History
from qualcode.tui.app import create_app
from qualcode.tui.keys import CODING, GLOBAL, read_keymap, with_keymap

Drive = Any
Small = Any


def write_keys(config_dir: Path, keys: object) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "tui.json").write_text(json.dumps({"keys": keys}))


def test_read_keymap_keeps_good_entries_and_names_the_bad() -> None:
    keymap, problems = read_keymap(
        {
            "coding.remove": "delete, X",
            "coding.pick": "p",  # p is a code's key
            "coding.nonsense": "ctrl+o",
            "coding.memo": 3,
            "retrieval.whatever": "ctrl+o",  # another screen's: passed on
        }
    )
    assert keymap == {"coding.remove": "delete,X", "retrieval.whatever": "ctrl+o"}
    assert [p.split(":")[0] for p in problems] == ["coding.pick", "coding.nonsense", "coding.memo"]
    assert read_keymap(None) == ({}, [])
    assert read_keymap(["x"])[0] == {}


def test_help_shows_function_keys_one_way_and_the_users_keys() -> None:
    shown = {k.id: k.display for k in GLOBAL.keys}
    assert shown["app.refresh"] == "F5, ctrl+r"
    assert shown["app.screen.project"] == "F2"
    remapped = with_keymap(CODING, {"coding.remove": "delete,X"})
    assert {k.id: k.display for k in remapped.keys}["coding.remove"] == "delete, X"


def test_a_rebound_key_removes_the_coding(small: Small, drive: Drive, config_dir: Path) -> None:
    write_keys(config_dir, {"coding.remove": "delete", "coding.pick": "p"})
    text = small.text("P01.txt")
    start = text.index("About half")
    History(small.project, "ana").add(
        small.docs["P01.txt"], small.codes["Triage"], start, start + 10
    )
    warnings: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        warnings.extend(str(n.message) for n in pilot.app._notifications)
        screen.view.move_to(start + 2)
        await pilot.pause()
        await pilot.press("x")  # no longer bound: nothing is removed
        await pilot.pause()
        assert screen.writes_done == 0 and not screen._pending  # nothing was even asked
        await drive.keys(pilot, screen, "delete")

    drive.run(create_app(small.project, "ana"), scenario)
    assert small.codings("ana") == []
    assert any("coding.pick" in w for w in warnings)
