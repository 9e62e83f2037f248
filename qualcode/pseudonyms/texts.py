"""Every text of a project that may name someone, read one at a time: documents and their
names, memos, attribute values, participant labels, code descriptions and speaker labels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Document,
    Memo,
    Participant,
    Segment,
)


@dataclass(frozen=True)
class ProjectText:
    """One text: what it is (``document``, ``memo``...), which one, and the text."""

    kind: str
    ref: int
    label: str
    text: str


def project_texts(s: Session) -> Iterator[ProjectText]:
    """The project's texts, documents first (one document's text in memory at a time)."""
    docs = s.execute(select(Document.id, Document.name).order_by(Document.id)).all()
    for doc_id, name in docs:
        text = s.scalar(select(Document.text).where(Document.id == doc_id)) or ""
        yield ProjectText("document", doc_id, name, text)
    for doc_id, name in docs:
        yield ProjectText("document name", doc_id, name, name)
    for memo_id, title, body in s.execute(select(Memo.id, Memo.title, Memo.body).order_by(Memo.id)):
        for part in (title, body):
            if part:
                yield ProjectText("memo", memo_id, f"memo {memo_id}", part)
    for pid, label in s.execute(select(Participant.id, Participant.label).order_by(Participant.id)):
        yield ProjectText("participant", pid, label, label)
    for value_id, label, attr, value in s.execute(
        select(AttributeValue.id, Participant.label, Attribute.name, AttributeValue.text_value)
        .join(Attribute, AttributeValue.attribute_id == Attribute.id)
        .join(Participant, AttributeValue.participant_id == Participant.id)
        .where(AttributeValue.text_value.is_not(None))
        .order_by(AttributeValue.id)
    ):
        yield ProjectText("attribute", value_id, f"{label} {attr}", value or "")
    for code in s.scalars(select(Code).order_by(Code.id)):
        for part in (code.description, code.inclusion, code.exclusion, code.example):
            if part:
                yield ProjectText("code", code.id, code.name, part)


def speaker_labels(s: Session) -> list[str]:
    """The distinct speaker labels of the project's turns."""
    rows = s.scalars(select(Segment.speaker).where(Segment.speaker.is_not(None)).distinct()).all()
    return sorted(r for r in rows if r)


def attribute_texts(s: Session) -> list[tuple[str, str]]:
    """(attribute name, text value) of every text attribute value."""
    rows = s.execute(
        select(Attribute.name, AttributeValue.text_value)
        .join(Attribute, AttributeValue.attribute_id == Attribute.id)
        .where(AttributeValue.text_value.is_not(None))
    ).all()
    return [(n, v) for n, v in rows if v]
