"""Participants as the faces list them: documents and attribute values, and how a value reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store.models import Attribute, AttributeValue, Document, Participant

#: an attribute's value: text, number or date
AttributeScalar = str | float | dt.date


@dataclass(frozen=True)
class ParticipantRow:
    label: str
    documents: list[str]
    attributes: dict[str, AttributeScalar | None]


def participant_overview(s: Session) -> tuple[list[str], list[ParticipantRow]]:
    """Attribute names, and every participant with documents and attribute values."""
    names = list(s.scalars(select(Attribute.name).order_by(Attribute.name)).all())
    docs: dict[int, list[str]] = {}
    for pid, dname in s.execute(
        select(Document.participant_id, Document.name).order_by(Document.name)
    ):
        if pid is not None:
            docs.setdefault(pid, []).append(dname)
    values: dict[int, dict[str, AttributeScalar | None]] = {}
    for value in s.scalars(select(AttributeValue).join(Attribute)).all():
        values.setdefault(value.participant_id, {})[value.attribute.name] = value.value
    rows = [
        ParticipantRow(label, docs.get(pid, []), values.get(pid, {}))
        for pid, label in s.execute(
            select(Participant.id, Participant.label).order_by(Participant.label)
        )
    ]
    return names, rows


def attribute_text(value: AttributeScalar | None) -> str:
    """A value as a person reads it: whole numbers without ``.0``, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
