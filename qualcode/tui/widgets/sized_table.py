"""Filling a DataTable with columns as wide as their cells from the start.

A DataTable measures new cells only when idle, and caches the lines it painted before that
under a key the measuring does not change: on a busy machine a table filled in one go could be
painted first with every column as narrow as its label ("Caselo" for "Caseload/Volume") and
stay so until the cursor moved. Columns given their width when they are added never need the
measuring.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def _width(cell: object) -> int:
    return cell.cell_len if isinstance(cell, Text) else Text(str(cell)).cell_len


def fill_sized(
    table: DataTable[Any],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, Sequence[Any]]],
) -> None:
    """Add ``columns`` (label, key) to an empty ``table``, each as wide as its widest cell or
    label, then ``rows`` (key, cells)."""
    for i, (label, key) in enumerate(columns):
        widest = max([_width(label), *(_width(cells[i]) for _key, cells in rows)])
        table.add_column(label, key=key, width=widest)
    for key, cells in rows:
        table.add_row(*cells, key=key)
