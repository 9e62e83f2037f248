"""SizedTable: a table's columns are as wide as their cells the moment it is filled.

Every check runs in the same synchronous step as the filling, so no idle (when a plain DataTable
measures its cells) can come between: what is checked is what a paint at that moment would
show, on a machine however busy. The same checks on a plain DataTable fail (the first test),
which is why every screen fills its tables through SizedTable (the last test).
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.tui.widgets.sized_table import SizedColumn, SizedTable

COLUMNS = [("Code", "code"), ("n", "n")]
ROWS: list[tuple[str | None, list[Any]]] = [
    ("a", [Text("Caseload/Volume"), Text("12", justify="right")]),
    ("b", [Text("Lab"), Text("1234567", justify="right")]),
]
#: the widest cell or label of each column
WIDEST = [len("Caseload/Volume"), len("1234567")]
QUALCODE = Path(__file__).resolve().parents[2] / "qualcode"


class TableApp(App[None]):
    CSS = "DataTable { width: 60; height: 8; }"

    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def run(table: DataTable[Any], scenario: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    """Run ``scenario`` with ``table`` mounted and laid out (no async test plugin)."""

    async def main() -> None:
        async with TableApp(table).run_test() as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


def content_widths(table: DataTable[Any]) -> list[int]:
    return [c.get_render_width(table) - 2 * table.cell_padding for c in table.ordered_columns]


def painted(table: DataTable[Any], y: int) -> str:
    """Line ``y`` of the table as a paint now would draw it."""
    return table.render_line(y).text


def test_a_plain_datatable_is_painted_with_label_wide_columns_until_idle() -> None:
    """The race SizedTable removes: filled and painted before an idle, the columns are as wide
    as their labels. (Should Textual ever measure at once, this fails and SizedTable can go.)"""
    table: DataTable[Any] = DataTable()

    async def scenario(pilot: Pilot[None]) -> None:
        table.add_columns(*COLUMNS)
        for key, cells in ROWS:
            table.add_row(*cells, key=key)
        assert content_widths(table) == [len("Code"), len("n")]
        assert "Caseload/Volume" not in painted(table, 1)

    run(table, scenario)


def test_filled_columns_are_as_wide_as_their_widest_cell_before_any_idle() -> None:
    table: SizedTable[Any] = SizedTable()

    async def scenario(pilot: Pilot[None]) -> None:
        table.fill(COLUMNS, ROWS)
        assert content_widths(table) == WIDEST
        assert "Caseload/Volume" in painted(table, 1)
        assert "1234567" in painted(table, 2)
        # the scrollable size too (the scrollbars follow it): header and two rows
        assert table.virtual_size.width == sum(
            c.get_render_width(table) for c in table.columns.values()
        )
        assert table.virtual_size.height == 3
        await pilot.pause()  # and the idle measuring changes nothing
        assert content_widths(table) == WIDEST
        assert "Caseload/Volume" in painted(table, 1)

    run(table, scenario)


def test_filling_again_sizes_the_new_cells_and_a_label_wider_than_its_cells() -> None:
    table: SizedTable[Any] = SizedTable()

    async def scenario(pilot: Pilot[None]) -> None:
        table.fill(COLUMNS, ROWS)
        await pilot.pause()
        table.fill([("Code", "code"), ("Codings by ana", "n")], [("c", [Text("Lab"), "7"])])
        assert content_widths(table) == [len("Code"), len("Codings by ana")]
        assert painted(table, 1).split() == ["Lab", "7"]

    run(table, scenario)


def test_cells_are_measured_as_the_table_shows_them_str_as_markup_none_empty() -> None:
    table: SizedTable[Any] = SizedTable()

    async def scenario(pilot: Pilot[None]) -> None:
        table.fill([("x", "x"), ("y", "y")], [("a", ["[bold]wide cell[/bold]"])])
        assert content_widths(table) == [len("wide cell"), 1]  # the missing cell shown empty
        table.add_column("z", key="z", default=None)
        assert content_widths(table) == [len("wide cell"), 1, 1]
        table.add_column("w", key="w", default=Text("filled in"))
        assert content_widths(table)[-1] == len("filled in")

    run(table, scenario)


def test_a_fixed_width_stays_and_others_grow_with_added_rows_and_updated_cells() -> None:
    table: SizedTable[Any] = SizedTable()

    async def scenario(pilot: Pilot[None]) -> None:
        table.fill([SizedColumn("Status", "status", 9), ("Name", "name")], [])
        assert content_widths(table) == [9, len("Name")]
        table.add_row(Text("a very long status"), Text("Jo"), key="1")
        assert content_widths(table) == [9, len("Name")]
        table.update_cell("1", "name", Text("Josephine Q"))
        assert content_widths(table) == [9, len("Josephine Q")]
        assert "Josephine Q" in painted(table, 1)
        assert table.virtual_size.width == 9 + len("Josephine Q") + 4 * table.cell_padding

    run(table, scenario)


def _table_classes_made(path: Path) -> list[str]:
    """The DataTable classes a module builds or derives from (by name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found.append(node.func.id)
        if isinstance(node, ast.ClassDef):
            found.extend(b.id for b in node.bases if isinstance(b, ast.Name))
            found.extend(
                b.value.id
                for b in node.bases
                if isinstance(b, ast.Subscript) and isinstance(b.value, ast.Name)
            )
    return [name for name in found if name == "DataTable"]


def test_no_screen_builds_a_plain_datatable() -> None:
    modules = [*(QUALCODE / "tui").rglob("*.py"), *(QUALCODE / "caseload" / "faces").rglob("*.py")]
    plain = [str(p.relative_to(QUALCODE)) for p in modules if _table_classes_made(p)]
    assert len(modules) > 20
    assert plain == ["tui/widgets/sized_table.py"]
