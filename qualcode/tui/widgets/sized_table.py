"""The one table every screen fills: a DataTable whose columns are as wide as their cells from
the moment they are filled.

A plain DataTable measures new cells only when idle, and caches the lines it painted before that
under a key the measuring does not change: on a busy machine a table filled in one go could be
painted first with every column as narrow as its label ("Caselo" for "Caseload/Volume") and
stay so until the cursor moved. A ``SizedTable`` gives each column its width as cells are added
(``add_row``, ``add_column``, ``update_cell``, and ``fill``, which does them all), so no paint can
come before the measuring; ``fill`` also sets the scrollable size at once.

A column added with a ``width`` keeps that width (cells wider than it are cut, as in a
DataTable); one added without grows to its widest cell or label (it does not shrink when a
cell is updated or a row removed: ``fill`` again). Cells are measured as the DataTable renders
them (a ``str`` is read as markup: pass names as ``Text``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, NamedTuple, Self, TypeVar

from rich.text import TextType
from textual.geometry import Size
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets._data_table import default_cell_formatter
from textual.widgets.data_table import ColumnKey, RowKey

Cell = TypeVar("Cell")


class SizedColumn(NamedTuple):
    """A column to fill: its label, its key, and a fixed width (None: as wide as its cells)."""

    label: TextType
    key: str
    width: int | None = None


class SizedTable(DataTable[Cell], Generic[Cell]):
    """A DataTable whose columns get their width when cells are added, not when idle."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the columns that grow to their cells (the others keep the width they were given)
        self._sized: set[ColumnKey] = set()

    # -- filling ----------------------------------------------------------------------------------
    def fill(
        self,
        columns: Sequence[SizedColumn | tuple[TextType, str]],
        rows: Iterable[tuple[str | None, Sequence[Cell]]],
    ) -> None:
        """Replace the table's columns and rows: ``columns`` as (label, key[, width]),
        then ``rows`` as (key, cells). The cursor goes back to the first row."""
        self.clear(columns=True)
        for column in columns:
            spec = column if isinstance(column, SizedColumn) else SizedColumn(*column)
            self.add_column(spec.label, key=spec.key, width=spec.width)
        for key, cells in rows:
            self.add_row(*cells, key=key)
        self._size_virtually()

    def cell_width(self, cell: object) -> int:
        """The width ``cell`` takes in a row one line high (without the cell padding); a
        missing cell (None) is shown empty."""
        if cell is None:
            return 0
        return measure(self.app.console, default_cell_formatter(cell, wrap=False, height=1), 1)

    # -- the DataTable's own ways in, each sizing what it adds ------------------------------------
    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Cell | None = None,
    ) -> ColumnKey:
        # given a width, the DataTable paints a column that wide and never by its idle
        # measuring: a sized column gets its cells' width here, and grows in add_row
        column_key = super().add_column(label, width=width or 0, key=key, default=default)
        if width is None:
            self._sized.add(column_key)
            column = self.columns[column_key]
            cells = self.get_column(column_key) if self.row_count else ()
            column.width = max([column.content_width, *map(self.cell_width, cells)])
        return column_key

    def add_row(
        self,
        *cells: Cell,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            if column.key in self._sized:
                column.width = max(column.width, self.cell_width(cell))
        return row_key

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Cell,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        column = self.columns[ColumnKey(column_key) if isinstance(column_key, str) else column_key]
        if column.key in self._sized and self.cell_width(value) > column.width:
            column.width = self.cell_width(value)
            self._size_virtually()

    def remove_column(self, column_key: ColumnKey | str) -> None:
        super().remove_column(column_key)
        self._sized.discard(ColumnKey(column_key) if isinstance(column_key, str) else column_key)

    def clear(self, columns: bool = False) -> Self:
        super().clear(columns)
        if columns:
            self._sized.clear()
        return self

    def _size_virtually(self) -> None:
        """The scrollable size, which the DataTable too sets only when idle (its scrollbars
        follow it); rows with labels or of automatic height are left to the idle."""
        if any(row.label is not None or row.auto_height for row in self.rows.values()):
            return
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(width, sum(row.height for row in self.rows.values()) + header)
