"""The documents of a saturation analysis, read from a project, in interview order.

Only documents with at least one counted coding take part (a document nobody has coded yet
would look like an interview that brought nothing new); the others are listed as not coded.
Whose codings: the rule of :mod:`qualcode.analysis.coders`. A code counts by itself, not with its
children (a sub-code is a code of its own).

Interview order: ``name`` (the default) orders by document name; any other value names a
participant attribute whose values give the order (numbers and dates by value, text
alphabetically), documents without a value last, ties by document name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from qualcode.analysis.coders import counted_coders
from qualcode.analysis.data import (
    NO_VALUE,
    attribute_values,
    find_attribute,
    group_labels,
    load_code_tree,
    load_documents,
    load_participants,
)
from qualcode.analysis.saturation import CodedDocument, SaturationOptions, saturation_curve
from qualcode.analysis.tables import counted_codings

BY_NAME = "name"


def coded_documents(
    s: Session, coder: str | None = None, order: str = BY_NAME
) -> tuple[list[CodedDocument], list[str], dict[str, int | None]]:
    """The coded documents in interview order, the names of documents not coded, and each
    document's participant id."""
    codings = counted_codings(s, coder)
    tree = load_code_tree(s)
    participants = load_participants(s)
    docs = load_documents(s)
    codes: dict[int, set[str]] = defaultdict(set)
    for doc_id, code_id in zip(codings["document_id"], codings["code_id"], strict=True):
        codes[int(doc_id)].add(tree.path[int(code_id)])
    owner: dict[str, int | None] = {}
    coded: list[CodedDocument] = []
    uncoded: list[str] = []
    for doc_id, name, pid in zip(docs["id"], docs["name"], docs["participant_id"], strict=True):
        participant = None if _missing(pid) else int(pid)
        owner[str(name)] = participant
        if int(doc_id) in codes:
            label = participants.get(participant) if participant is not None else None
            coded.append(CodedDocument(str(name), label, frozenset(codes[int(doc_id)])))
        else:
            uncoded.append(str(name))
    return _ordered(s, coded, owner, order), sorted(uncoded), owner


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _ordered(
    s: Session, docs: list[CodedDocument], owner: dict[str, int | None], order: str
) -> list[CodedDocument]:
    by_name = sorted(docs, key=lambda d: (d.name.casefold(), d.name))
    if order == BY_NAME:
        return by_name
    find_attribute(s, order)  # an attribute the project lacks is an error
    values = attribute_values(s, order)

    def key(doc: CodedDocument) -> tuple[int, float | str]:
        pid = owner.get(doc.name)
        value = values.get(pid) if pid is not None else None
        if value is None:
            return (2, "")
        if isinstance(value, float):
            return (0, value)
        if isinstance(value, dt.date):
            return (1, value.isoformat())
        return (1, value.casefold())

    return sorted(by_name, key=key)  # stable: ties keep name order


def saturation_report(
    s: Session,
    *,
    coder: str | None = None,
    order: str = BY_NAME,
    by: str | None = None,
    options: SaturationOptions | None = None,
) -> dict[str, Any]:
    """The saturation figures of a project (JSON-ready): the whole corpus, and with ``by``
    each group of that attribute's values in the same order."""
    opts = options or SaturationOptions()
    opts.check()
    docs, uncoded, owner = coded_documents(s, coder, order)
    counted = counted_coders(s, coder)
    report: dict[str, Any] = {
        **counted.as_json(),
        "order": order,
        "uncoded_documents": uncoded,
        **saturation_curve(docs, opts),
        "by": by,
        "groups": None,
    }
    if by is not None:
        labels, group_order = group_labels(s, by)
        members: dict[str, list[CodedDocument]] = defaultdict(list)
        for doc in docs:
            pid = owner.get(doc.name)
            members[labels.get(pid, NO_VALUE) if pid is not None else NO_VALUE].append(doc)
        report["groups"] = [
            {"group": group, **saturation_curve(members[group], opts)}
            for group in [*group_order, NO_VALUE]
            if members.get(group)
        ]
    return report
