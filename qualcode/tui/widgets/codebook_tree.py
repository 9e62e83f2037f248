"""The codebook as a tree: each code with its key, colour and number of codings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.coding.code_entries import CodeEntry


def code_label(entry: CodeEntry, count: int | None = None) -> Text:
    """``[b] ■ Name  12``: key badge, colour swatch, name and count."""
    key = Text(f" {entry.key} ", style="bold reverse") if entry.key else Text("   ")
    parts = [
        key,
        Text(" "),
        Text("■ ", style=Style(color=_safe_colour(entry.colour))),
        Text(entry.name),
    ]
    if count is not None:
        parts.append(Text(f"  {count}", style="dim"))
    return Text.assemble(*parts)


def _safe_colour(colour: str) -> str:
    return colour if len(colour) == 7 and colour.startswith("#") else "#888888"


class CodebookTree(Tree[int]):
    """Codes as tree nodes (node data: the code id). The owner sets codes and counts."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Codebook", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self._entries: dict[int, CodeEntry] = {}
        self._code_nodes: dict[int, TreeNode[int]] = {}
        self._counts: dict[int, int] = {}

    def set_codes(self, entries: Sequence[CodeEntry], counts: Mapping[int, int]) -> None:
        """Rebuild the tree; the highlighted code stays highlighted when it still exists."""
        keep = self.selected_code_id
        self.clear()
        self._entries = {e.id: e for e in entries}
        self._counts = dict(counts)
        self._code_nodes = {}
        for entry in entries:
            parent = self._code_nodes.get(entry.parent_id) if entry.parent_id else None
            where = parent if parent is not None else self.root
            node = where.add(
                code_label(entry, self._counts.get(entry.id, 0)), data=entry.id, expand=True
            )
            node.allow_expand = False
            self._code_nodes[entry.id] = node
        for node in self._code_nodes.values():
            node.allow_expand = bool(node.children)
        if keep is not None:
            self.select_code(keep)

    def set_counts(self, counts: Mapping[int, int]) -> None:
        """Relabel only the codes whose count changed."""
        for code_id, node in self._code_nodes.items():
            old, new = self._counts.get(code_id, 0), counts.get(code_id, 0)
            if old != new:
                node.set_label(code_label(self._entries[code_id], new))
        self._counts = dict(counts)

    @property
    def selected_code_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    def select_code(self, code_id: int) -> None:
        node = self._code_nodes.get(code_id)
        if node is not None:
            # A rebuilt tree numbers its lines lazily: until then every new node is on line
            # -1 and the cursor would land on whatever line that means. Number them now.
            _ = self._tree_lines
            self.move_cursor(node)
