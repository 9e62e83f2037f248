"""Every main screen at 80×24 (the smallest supported terminal), 120×40 and 200×60.

The transcript must always get the room: below 100 columns the coding screen's codebook and
list of codings give way (ctrl+b and g bring them back), below 130 the list of codings does.
Update the snapshots after a deliberate change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.coding.history import History
from qualcode.tui.app import QualcodeApp, create_app
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.screens.supervisor import SupervisorScreen
from qualcode.tui.widgets.sized_table import SizedTable

from .screen_harness import settle

Drive = Any
Small = Any

SIZES = [(80, 24), (120, 40), (200, 60)]
#: the screens opened by a function key, and the class each one is
KEYED = {"retrieval": "f3", "dashboard": "f8", "agreement": "f7"}


def _code_some(small: Small) -> None:
    text = small.text("P01.txt")
    doc = small.docs["P01.txt"]
    history = History(small.project, "ana")
    history.add(doc, small.codes["Volume"], text.index("About half"), text.index("slow,") + 5)
    history.add(doc, small.codes["Lab backlog"], text.index("The lab is"), text.index("Plea") - 1)


def _sized(table: DataTable[Any]) -> bool:
    """Every column as wide as its widest cell (its label included), as painted now. Every
    screen's table is a SizedTable, which gives the columns their widths when it is filled (a
    plain DataTable measures them only when idle, which a busy machine may not have reached)."""
    assert isinstance(table, SizedTable), f"{table.id} is a plain DataTable"
    for key, column in table.columns.items():
        widest = max(table.cell_width(c) for c in [column.label, *table.get_column(key)])
        if column.get_render_width(table) - 2 * table.cell_padding < widest:
            return False
    return True


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["coding", "project", *KEYED])
def test_screen_at_size(
    small: Small, drive: Drive, snap_compare: Any, screen: str, size: tuple[int, int]
) -> None:
    _code_some(small)

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await drive.until(
            pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.loaded
        )
        if screen == "coding":
            text = small.text("P01.txt")
            view = (await drive.open_coding(pilot, small.docs["P01.txt"])).view
            view.move_to(text.index("lab is slow"))
        elif screen in KEYED:
            await pilot.press(KEYED[screen])
            await drive.until(pilot, lambda: not isinstance(app.screen, ProjectScreen))
        await settle(pilot)
        if screen == "agreement":  # its table is filled after two workers, one after the other
            shown = app.screen
            assert isinstance(shown, SupervisorScreen)
            await drive.until(pilot, lambda: bool(shown.stats))
            await settle(pilot)

        # a screen may fill its tables again (a second load): wait until its loads stop
        loads: object = object()
        for _ in range(6):
            await settle(pilot)
            if getattr(app.screen, "loads_done", None) == loads:
                break
            loads = getattr(app.screen, "loads_done", None)
        for table in app.screen.query(DataTable):
            assert _sized(table), f"{table.id}: a column narrower than its cells"
        await pilot.pause()

    app = create_app(small.project, "ana")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
