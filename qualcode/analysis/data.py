"""Reading a project into plain tables for analysis: codings, the code tree, participants and
their attribute values. One read per table; everything else is computed in memory. pandas loads
only when a DataFrame is asked for (:func:`load_codings`, :func:`load_documents`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import NotFound, QualcodeError
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
)

NO_VALUE = "(no value)"
NO_PARTICIPANT = "(no participant)"
SEP = "/"

if TYPE_CHECKING:
    import pandas as pd

CODING_COLUMNS = ["id", "document_id", "code_id", "coder", "start", "end", "participant_id"]
#: a coding as :func:`coding_rows` reads it: the values of CODING_COLUMNS
CodingRow = tuple[int, int, int, str, int, int, int | None]


@dataclass
class CodeTree:
    """Codes in tree order (parents before children, siblings by position then name)."""

    order: list[int] = field(default_factory=list)
    path: dict[int, str] = field(default_factory=dict)
    parent: dict[int, int | None] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    name: dict[int, str] = field(default_factory=dict)

    def subtree(self, code_id: int) -> list[int]:
        """The code and all its descendants."""
        out = [code_id]
        for child in self.children.get(code_id, []):
            out.extend(self.subtree(child))
        return out

    def has_children(self, code_id: int) -> bool:
        return bool(self.children.get(code_id))

    def depth(self, code_id: int) -> int:
        """0 for a top-level code, 1 for its children..."""
        depth, parent = 0, self.parent.get(code_id)
        while parent is not None:
            depth, parent = depth + 1, self.parent.get(parent)
        return depth

    def labels(self) -> dict[str, tuple[str, int]]:
        """Path -> (the code's own name, its depth), in tree order."""
        return {self.path[c]: (self.name[c], self.depth(c)) for c in self.order}


def load_code_tree(s: Session) -> CodeTree:
    rows = s.execute(select(Code.id, Code.parent_id, Code.name, Code.position)).all()
    tree = CodeTree()
    kids: dict[int | None, list[tuple[int, str, int]]] = {}
    for r in rows:
        tree.parent[r.id] = r.parent_id
        kids.setdefault(r.parent_id, []).append((r.position, r.name, r.id))
    for key in kids:
        kids[key].sort()
    tree.children = {k: [cid for *_x, cid in v] for k, v in kids.items() if k is not None}

    def walk(parent: int | None, prefix: str, seen: set[int]) -> None:
        for _pos, name, cid in kids.get(parent, []):
            if cid in seen:
                continue
            seen.add(cid)
            tree.path[cid] = f"{prefix}{SEP}{name}" if prefix else name
            tree.name[cid] = name
            tree.order.append(cid)
            walk(cid, tree.path[cid], seen)

    walk(None, "", set())
    return tree


def coder_exists(s: Session, coder: str) -> None:
    if s.scalar(select(Coder.id).where(Coder.name == coder)) is None:
        raise NotFound(f"no coder {coder!r} in this project")


def load_codings(s: Session, coder: str | None = None) -> pd.DataFrame:
    """One row per coding: id, document_id, code_id, coder, start, end, participant_id
    (participant_id is <NA> for documents without a participant)."""
    return codings_frame(coding_rows(s, coder))


def codings_frame(rows: Sequence[CodingRow]) -> pd.DataFrame:
    """Codings as :func:`load_codings` gives them, from :func:`coding_rows`."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=CODING_COLUMNS)
    frame["participant_id"] = frame["participant_id"].astype("Int64")
    return frame


def coding_rows(s: Session, coder: str | None = None) -> list[CodingRow]:
    """The codings of :func:`load_codings` as plain tuples, in id order (participant None for
    documents without a participant)."""
    stmt = (
        select(
            Coding.id,
            Coding.document_id,
            Coding.code_id,
            Coder.name,
            Coding.start,
            Coding.end,
            Document.participant_id,
        )
        .join(Coder, Coding.coder_id == Coder.id)
        .join(Document, Coding.document_id == Document.id)
        .order_by(Coding.id)
    )
    if coder is not None:
        coder_exists(s, coder)
        stmt = stmt.where(Coder.name == coder)
    return [cast(CodingRow, tuple(row)) for row in s.execute(stmt)]


def load_documents(s: Session) -> pd.DataFrame:
    """id, name, participant_id for every document."""
    import pandas as pd

    rows = s.execute(select(Document.id, Document.name, Document.participant_id)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["id", "name", "participant_id"])
    frame["participant_id"] = frame["participant_id"].astype("Int64")
    return frame


def load_participants(s: Session) -> dict[int, str]:
    """Participant id -> label, in label order."""
    rows = s.execute(select(Participant.id, Participant.label).order_by(Participant.label)).all()
    return {r.id: r.label for r in rows}


def find_attribute(s: Session, name: str) -> Attribute:
    attr = s.scalar(select(Attribute).where(Attribute.name == name))
    if attr is None:
        names = ", ".join(s.scalars(select(Attribute.name).order_by(Attribute.name)).all())
        raise NotFound(f"no attribute {name!r}; attributes: {names or '(none)'}")
    return attr


def text_attributes(s: Session) -> list[str]:
    """The attributes to group by: text attributes, in the order they were defined."""
    return list(
        s.scalars(select(Attribute.name).where(Attribute.kind == "text").order_by(Attribute.id))
    )


AttributeValues = dict[int, str | float | dt.date]


def attribute_values(s: Session, name: str) -> AttributeValues:
    """Participant id -> value of the named attribute (participants without one are absent)."""
    attr = find_attribute(s, name)
    return _values(s, Attribute.id == attr.id).get(attr.name, {})


def all_attribute_values(s: Session) -> dict[str, AttributeValues]:
    """Attribute name -> :func:`attribute_values` of every attribute, in one read (a grouping
    by each of thousands of attributes reads them once, not once per attribute)."""
    values = _values(s, None)
    return {name: values.get(name, {}) for name in s.scalars(select(Attribute.name))}


def _values(s: Session, where: Any) -> dict[str, AttributeValues]:
    stmt = select(
        Attribute.name,
        Attribute.kind,
        AttributeValue.participant_id,
        AttributeValue.text_value,
        AttributeValue.number_value,
        AttributeValue.date_value,
    ).join(Attribute, AttributeValue.attribute_id == Attribute.id)
    if where is not None:
        stmt = stmt.where(where)
    out: dict[str, AttributeValues] = {}
    for name, kind, pid, text, number, date in s.execute(stmt):
        value = number if kind == "number" else date if kind == "date" else text
        if value is not None and value != "":
            out.setdefault(name, {})[pid] = value
    return out


def number_attribute(s: Session, name: str) -> dict[int, float]:
    """Participant id -> value of a number attribute; an absent attribute has no values."""
    attr = s.scalar(select(Attribute).where(Attribute.name == name))
    if attr is None:
        return {}
    if attr.kind != "number":
        raise QualcodeError(f"attribute {name!r} is {attr.kind}, not a number")
    return {pid: v for pid, v in attribute_values(s, name).items() if isinstance(v, float)}


def format_value(value: str | float | dt.date) -> str:
    """An attribute value as a group label: 14.0 -> "14", dates in ISO form."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def group_labels(s: Session, attribute: str) -> tuple[dict[int, str], list[str]]:
    """Participant id -> group label for an attribute, and the labels in display order
    (numbers and dates in value order, text alphabetically; ``(no value)`` last)."""
    return value_labels(attribute_values(s, attribute))


def value_labels(values: AttributeValues) -> tuple[dict[int, str], list[str]]:
    """:func:`group_labels` of an attribute's values already read."""
    labels = {pid: format_value(v) for pid, v in values.items()}
    numbers = {v for v in values.values() if isinstance(v, float)}
    if len(numbers) == len(set(values.values())):
        order = list(dict.fromkeys(format_value(v) for v in sorted(numbers)))
    else:  # text alphabetically (ignoring case); ISO dates sort as text
        order = sorted(set(labels.values()), key=lambda x: (x.casefold(), x))
    return labels, order
