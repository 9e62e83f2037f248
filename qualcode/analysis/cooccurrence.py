"""Co-occurrence: pairs of different codes applied together by the same coder, as plain rows
(the command line prints them without pandas; :func:`qualcode.analysis.tables.cooccurrence_table`
makes them a DataFrame for the TUI, the report and the exports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from sqlalchemy.orm import Session

from qualcode.analysis.coders import counted_coding_rows
from qualcode.analysis.data import CodeTree, CodingRow, load_code_tree
from qualcode.analysis.spans import Span, overlaps
from qualcode.analysis.units import check_unit, document_units, units_touched

COOCCURRENCE_COLUMNS = ["code_a", "code_b", "count", "documents"]
#: code_a, code_b, count, documents
Pair = tuple[str, str, int, int]


def cooccurrence_rows(s: Session, unit: str = "overlap", coder: str | None = None) -> list[Pair]:
    """Pairs of different codes applied together by the same coder.

    ``unit="overlap"``: ``count`` is the number of pairs of codings (one of each code, same
    coder, same document) whose spans share at least one character. Other units (``sentence``,
    ``turn``, ``paragraph``, ``document``): ``count`` is the number of units in which some coder
    applied both codes (a coding belongs to every unit it touches; each unit counted once).
    ``documents``: documents where the pair occurs. Pairs are named by path with ``code_a`` <
    ``code_b``; rows sorted by count (descending), then by path. Whose codings: the rule of
    :mod:`qualcode.analysis.coders`.
    """
    unit = check_unit(unit)
    codings = counted_coding_rows(s, coder)
    tree = load_code_tree(s)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    docs: dict[tuple[str, str], set[int]] = defaultdict(set)
    if unit == "overlap":
        for doc, items in _by_document_and_coder(codings, tree):
            for pair in _overlapping_pairs(items):
                counts[pair] += 1
                docs[pair].add(doc)
    else:
        units = document_units(s, unit, {row[1] for row in codings})
        seen: set[tuple[int, int, str, str]] = set()
        for doc, items in _by_document_and_coder(codings, tree):
            for i, a, b in _unit_pairs(items, units.get(doc, [])):
                if (doc, i, a, b) not in seen:
                    seen.add((doc, i, a, b))
                    counts[(a, b)] += 1
                    docs[(a, b)].add(doc)
    return sorted(
        ((a, b, n, len(docs[(a, b)])) for (a, b), n in counts.items()),
        key=lambda r: (-r[2], r[0], r[1]),
    )


def _by_document_and_coder(
    codings: list[CodingRow], tree: CodeTree
) -> Iterable[tuple[int, list[tuple[str, Span]]]]:
    """For each document and coder: (document id, [(code path, span), ...])."""
    groups: dict[tuple[int, str], list[tuple[str, Span]]] = defaultdict(list)
    for _id, doc_id, code_id, coder, start, end, _participant in codings:
        groups[(doc_id, coder)].append((tree.path[code_id], (start, end)))
    for (doc_id, _coder), items in groups.items():
        yield doc_id, items


def _overlapping_pairs(items: list[tuple[str, Span]]) -> Iterable[tuple[str, str]]:
    for (path_a, span_a), (path_b, span_b) in combinations(items, 2):
        if path_a != path_b and overlaps(span_a, span_b):
            yield (min(path_a, path_b), max(path_a, path_b))


def _unit_pairs(items: list[tuple[str, Span]], units: list[Span]) -> Iterable[tuple[int, str, str]]:
    """(unit index, code a, code b) for every pair of codes in the same unit."""
    starts = [u[0] for u in units]
    codes_in: dict[int, set[str]] = defaultdict(set)
    for path, span in items:
        for i in units_touched(units, starts, span):
            codes_in[i].add(path)
    for i, paths in codes_in.items():
        for a, b in combinations(sorted(paths), 2):
            yield (i, a, b)
