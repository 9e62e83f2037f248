"""The numbers researchers report, as pandas DataFrames: the one source for the CLI, the TUI and
exports.

* :func:`summary_table` - descriptive statistics of a number attribute, overall and per group
  of another attribute.
* :func:`frequency_table` - per code: codings, documents, participants, % of participants and
  words coded; parents also rolled up with all their descendants.
* :func:`matrix_table` - codes by participant or by attribute value, as counts or presence.
* :func:`cooccurrence_table` - pairs of codes that overlap or share a sentence/turn/paragraph/
  document.

Definitions (also in each function's docstring):

* A code's *path* is its name under its ancestors: ``Parent/Child``.
* *Words coded* for a set of codings: for each coder and document, the words in the union of
  that coder's spans (so overlapping codings by one coder never count a word twice), summed over
  coders and documents. Different coders coding the same words each count them.
* *% of participants*: participants where the code occurs / participants in the group (all
  participants in the project when not grouped) x 100.
* *Whose codings*: one coder's when ``coder`` is given; otherwise the rule of
  :mod:`qualcode.analysis.coders` (the consensus coder's codings when there are any, else every
  coder's added up), so the consensus coder's codings are never added to the coders' own.
  Frequencies by coder show every coder apart, consensus included.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from qualcode.analysis.coders import (
    CONSENSUS,
    coders_with_codings,
    counted_coding_rows,
)
from qualcode.analysis.cooccurrence import COOCCURRENCE_COLUMNS, cooccurrence_rows
from qualcode.analysis.data import (
    NO_PARTICIPANT,
    NO_VALUE,
    AttributeValues,
    CodeTree,
    all_attribute_values,
    codings_frame,
    group_labels,
    load_code_tree,
    load_documents,
    load_participants,
    number_attribute,
    value_labels,
)
from qualcode.analysis.spans import Span, words_covered
from qualcode.analysis.stats import STAT_COLUMNS, describe
from qualcode.errors import QualcodeError
from qualcode.store.texts import Passages, read_passages

if TYPE_CHECKING:
    import pandas as pd

OVERALL = "(all participants)"
BUILTIN_GROUPS = ("document", "participant", "coder")
FREQUENCY_COLUMNS = [
    "code",
    "rolled_up",
    "codings",
    "documents",
    "participants",
    "pct_participants",
    "words",
]


def summary_table(s: Session, attribute: str, by: str | None = None) -> pd.DataFrame:
    """Statistics of a number attribute over participants: the overall row first (group
    ``(all participants)``), then one row per value of ``by`` (``(no value)`` last). An
    attribute the project does not have counts everyone missing; a text one is an error.

    Columns: group, n, missing (participants without a value), mean, sd (sample, ddof=1),
    median, min, q1, q3 (linear interpolation, see ``stats.QUARTILE_METHOD``), max.
    """
    return next(summary_tables(s, attribute, [by]))


def summary_tables(s: Session, attribute: str, bys: Iterable[str | None]) -> Iterator[pd.DataFrame]:
    """:func:`summary_table` by each of ``bys`` in turn, reading the project once (a project
    with thousands of attributes, each a grouping)."""
    import pandas as pd

    participants = load_participants(s)
    values = number_attribute(s, attribute)
    every: dict[str, AttributeValues] | None = None
    described: dict[frozenset[int], dict[str, Any]] = {}  # groups recur across attributes

    def stats(pids: set[int]) -> dict[str, Any]:
        key = frozenset(pids)
        if key not in described:
            described[key] = _describe(pids, values)
        return described[key]

    for by in bys:
        rows = [{"group": OVERALL, **stats(set(participants))}]
        if by is not None:
            if every is None:
                every = all_attribute_values(s)
            labels, order = value_labels(every[by]) if by in every else group_labels(s, by)
            members: dict[str, set[int]] = defaultdict(set)
            for pid in participants:
                members[labels.get(pid, NO_VALUE)].add(pid)
            for group in [*order, NO_VALUE]:
                if members.get(group):
                    rows.append({"group": group, **stats(members[group])})
        yield pd.DataFrame(rows, columns=["group", *STAT_COLUMNS])


def _describe(pids: Iterable[int], values: dict[int, float]) -> dict[str, Any]:
    pids = list(pids)
    present = [values[p] for p in pids if p in values]
    return describe(present, len(pids) - len(present))


def frequency_table(s: Session, by: str | None = None, coder: str | None = None) -> pd.DataFrame:
    """Code frequencies, optionally per group.

    ``by``: None, ``document``, ``participant``, ``coder`` or an attribute name (the built-in
    names win over attributes with the same name). One row per code (``rolled_up`` False:
    its own codings) and, for codes with children, a row with the code and all its descendants
    (``rolled_up`` True; documents and participants counted once). Not grouped: every code
    appears, zeros included; grouped: the rows with at least one coding, with a ``group``
    column first. Columns: see :data:`FREQUENCY_COLUMNS` and the module docstring.
    """
    return frequency_tables(s, [by], coder)[0]


def frequency_tables(
    s: Session, bys: Iterable[str | None], coder: str | None = None
) -> list[pd.DataFrame]:
    """:func:`frequency_table` by each of ``bys``, from one read of the project."""
    import pandas as pd

    wanted = list(bys)
    return [
        pd.DataFrame(records, columns=frequency_columns(by))
        for by, records in zip(wanted, frequency_records(s, wanted, coder), strict=True)
    ]


def frequency_columns(by: str | None) -> list[str]:
    """The columns of a frequency table: :data:`FREQUENCY_COLUMNS`, ``group`` first when
    grouped."""
    return FREQUENCY_COLUMNS if by is None else ["group", *FREQUENCY_COLUMNS]


def frequency_records(
    s: Session, bys: Iterable[str | None], coder: str | None = None
) -> list[list[dict[str, Any]]]:
    """The rows of :func:`frequency_tables` as plain dicts (JSON-ready, no DataFrame: the
    command line prints them), with the columns of :func:`frequency_columns`."""
    wanted = list(bys)
    return [
        [{c: row[c] for c in frequency_columns(by)} for row in rows]
        for by, rows in zip(wanted, frequency_rows(s, wanted, coder), strict=True)
    ]


def frequency_rows(
    s: Session, bys: Iterable[str | None], coder: str | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The rows of :func:`frequency_table` by each of ``bys`` in turn (each row with its
    ``group``), reading the project once: a project with thousands of attributes is grouped by
    each in time linear in attributes x codings."""
    shared: dict[bool, _Counting] = {}
    values: dict[str, AttributeValues] | None = None
    for by in bys:
        separately = by == "coder"
        if separately not in shared:
            other = shared.get(not separately)
            # grouped by coder or not, the same codings are counted, unless the consensus
            # coder's stand in for the others' (qualcode.analysis.coders): read them once
            same = coder is not None or CONSENSUS not in coders_with_codings(s)
            shared[separately] = other if other and same else _counting(s, coder, separately)
        if by is not None and by not in BUILTIN_GROUPS and values is None:
            values = all_attribute_values(s)
        yield _frequencies(s, shared[separately], by, values or {})


Counted = tuple[int, int, str, int, int, int | None]  # document, code, coder, start, end, pid


@dataclass
class _Counting:
    """What every grouping of the frequencies shares: the counted codings, the code tree,
    participants and the coded documents' texts."""

    rows: list[Counted]
    tree: CodeTree
    participants: dict[int, str]
    #: the coded passages of each document (words are counted in them), not whole texts
    texts: dict[int, Passages]
    #: words coded per (document, spans): a document's spans of a code are the same in every
    #: grouping (a document has one participant), so each is counted once, not per attribute
    words: dict[tuple[int, tuple[Span, ...]], int] = field(default_factory=dict)
    #: words per document and merged span: a passage coded with several codes is counted once
    counted: dict[int, dict[Span, int]] = field(default_factory=lambda: defaultdict(dict))


def _counting(s: Session, coder: str | None, separately: bool) -> _Counting:
    rows: list[Counted] = [r[1:] for r in counted_coding_rows(s, coder, separately=separately)]
    spans: dict[int, list[Span]] = defaultdict(list)
    for doc_id, _code, _who, start, end, _pid in rows:
        spans[doc_id].append((start, end))
    return _Counting(rows, load_code_tree(s), load_participants(s), read_passages(s, spans))


def _frequencies(
    s: Session, data: _Counting, by: str | None, values: dict[str, AttributeValues]
) -> list[dict[str, Any]]:
    tree = data.tree
    if by is None:
        group_of = [OVERALL] * len(data.rows)
        groups = [(OVERALL, set(data.participants))]
    else:
        group_of, groups = _assign_groups(s, data.rows, by, data.participants, values)
    own: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (group, row) in enumerate(zip(group_of, data.rows, strict=True)):
        own[(group, row[1])].append(i)
    used: dict[str, set[int]] = defaultdict(set)  # codes with codings in a group, and ancestors
    for group, cid in own:
        at: int | None = cid
        while at is not None and at not in used[group]:
            used[group].add(at)
            at = tree.parent.get(at)
    rows: list[dict[str, Any]] = []
    for group, members in groups:
        for cid in tree.order:
            if by is not None and cid not in used[group]:
                continue
            variants = [(False, [cid])]
            if tree.has_children(cid):
                variants.append((True, tree.subtree(cid)))
            for rolled, ids in variants:
                picked = [data.rows[i] for c in ids for i in own.get((group, c), ())]
                if by is not None and not picked:
                    continue
                counts = _frequency_row(picked, data, len(members))
                rows.append({"group": group, "code": tree.path[cid], "rolled_up": rolled, **counts})
    return rows


def counted_codings(s: Session, coder: str | None, *, separately: bool = False) -> pd.DataFrame:
    """The codings the tables count (:func:`qualcode.analysis.coders.counted_coding_rows`), as
    :func:`qualcode.analysis.data.load_codings` gives them."""
    return codings_frame(counted_coding_rows(s, coder, separately=separately))


def _frequency_row(picked: list[Counted], data: _Counting, denominator: int) -> dict[str, Any]:
    n_participants = len({r[5] for r in picked if r[5] is not None})
    spans: dict[tuple[int, str], list[Span]] = defaultdict(list)
    for doc_id, _code, coder, start, end, _p in picked:
        spans[(doc_id, coder)].append((start, end))
    words = 0
    for (doc, _c), pairs in spans.items():
        key = (doc, tuple(pairs))
        if key not in data.words:
            data.words[key] = words_covered(data.texts[doc], pairs, data.counted[doc])
        words += data.words[key]
    return {
        "codings": len(picked),
        "documents": len({r[0] for r in picked}),
        "participants": n_participants,
        "pct_participants": 100 * n_participants / denominator if denominator else None,
        "words": words,
    }


def _assign_groups(
    s: Session,
    codings: list[Counted],
    by: str,
    participants: dict[int, str],
    values: dict[str, AttributeValues],
) -> tuple[list[str], list[tuple[str, set[int]]]]:
    """Each coding's group, and the groups in order with the participants in each (an
    attribute's values from ``values`` when read already)."""
    import pandas as pd

    if by == "coder":
        group_of = [r[2] for r in codings]
        return group_of, [(c, set(participants)) for c in sorted(set(group_of))]
    if by == "document":
        docs = load_documents(s)
        names = dict(zip(docs["id"], docs["name"], strict=True))
        group_of = [names[r[0]] for r in codings]
        owner = dict(zip(docs["name"], docs["participant_id"], strict=True))
        used = sorted(set(group_of))
        return group_of, [(n, set() if pd.isna(owner[n]) else {int(owner[n])}) for n in used]
    if by == "participant":
        group_of = [NO_PARTICIPANT if r[5] is None else participants[r[5]] for r in codings]
        out = [(label, {p}) for p, label in participants.items()]
        return group_of, [*out, (NO_PARTICIPANT, set())]
    labels, order = value_labels(values[by]) if by in values else group_labels(s, by)
    group_of = [NO_VALUE if r[5] is None else labels.get(r[5], NO_VALUE) for r in codings]
    members: dict[str, set[int]] = defaultdict(set)
    for p in participants:
        members[labels.get(p, NO_VALUE)].add(p)
    return group_of, [(g, members[g]) for g in [*order, NO_VALUE]]


def matrix_table(
    s: Session, cols: str = "participant", presence: bool = False, coder: str | None = None
) -> pd.DataFrame:
    """Codes (rows, by path, own codings only) by participant or by attribute value (columns).

    Cells count codings, or with ``presence`` the participants in whom the code occurs (for
    participant columns: 1 or 0). Every participant is a column (by attribute: every value,
    plus ``(no value)`` when some participant has none). Codings in documents without a
    participant are left out.
    """
    import pandas as pd

    codings = counted_codings(s, coder)
    codings = codings[codings["participant_id"].notna()]
    tree = load_code_tree(s)
    participants = load_participants(s)
    if cols == "participant":
        column_of = dict(participants)
        columns = list(participants.values())
    else:
        labels, order = group_labels(s, cols)
        column_of = {p: labels.get(p, NO_VALUE) for p in participants}
        columns = [*order, *([NO_VALUE] if NO_VALUE in column_of.values() else [])]
    counts: dict[tuple[int, str], int] = defaultdict(int)
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for code_id, p in zip(codings["code_id"], codings["participant_id"], strict=True):
        key = (int(code_id), column_of[int(p)])
        counts[key] += 1
        people[key].add(int(p))

    def cell(key: tuple[int, str]) -> int:
        return len(people.get(key, ())) if presence else counts.get(key, 0)

    data = [[cell((cid, col)) for col in columns] for cid in tree.order]
    index = pd.Index([tree.path[cid] for cid in tree.order], name="code")
    return pd.DataFrame(data, index=index, columns=pd.Index(columns, name=cols), dtype="int64")


def cooccurrence_table(s: Session, unit: str = "overlap", coder: str | None = None) -> pd.DataFrame:
    """:func:`qualcode.analysis.cooccurrence.cooccurrence_rows` as a DataFrame (columns
    :data:`COOCCURRENCE_COLUMNS`; definitions there)."""
    import pandas as pd

    return pd.DataFrame(cooccurrence_rows(s, unit, coder), columns=COOCCURRENCE_COLUMNS)


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA become None, numpy numbers become Python numbers."""
    import pandas as pd

    out: list[dict[str, Any]] = []
    for row in frame.to_dict(orient="records"):
        out.append({str(k): _plain(v, pd.NA) for k, v in row.items()})
    return out


def _plain(value: Any, na: Any) -> Any:
    if value is None or value is na:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def check_group(by: str | None) -> str | None:
    if by is not None and not by.strip():
        raise QualcodeError("--by needs a value: document, participant, coder or an attribute")
    return by.strip() if by else None
