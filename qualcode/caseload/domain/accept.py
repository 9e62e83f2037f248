"""Caseload shares in a project: suggest them from the transcripts, and accept them.

Accepting sets the participant's number attribute ``csam_share_pct`` and codes the evidence
sentence with the top-level code ``Caseload share statement`` (created when missing) as the
accepting coder, in one transaction, with an audit entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.caseload.domain.attribute_ranges import SHARE_RANGE
from qualcode.caseload.domain.extract import ShareEstimate, extract_shares
from qualcode.caseload.domain.measure import (
    CASELOAD_ATTRIBUTE,
    CASELOAD_CODE,
    CASELOAD_CODE_DESCRIPTION,
)
from qualcode.coding import ensure_coding
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Attribute, AttributeValue, Code, Document, Participant


@dataclass(frozen=True)
class Suggestion:
    """The best statement found in a participant's documents, next to the current value."""

    participant: str
    current: float | None
    document: str | None
    estimate: ShareEstimate | None

    @property
    def agrees(self) -> bool | None:
        if self.estimate is None or self.current is None:
            return None
        return abs(self.estimate.share_pct - self.current) < 1e-9

    def as_json(self) -> dict[str, Any]:
        est = self.estimate
        return {
            "participant": self.participant,
            "current": self.current,
            "suggested": est.share_pct if est else None,
            "low": est.low if est else None,
            "high": est.high if est else None,
            "document": self.document,
            "evidence": est.evidence if est else None,
            "start": est.start if est else None,
            "end": est.end if est else None,
            "agrees": self.agrees,
        }


@dataclass(frozen=True)
class Accepted:
    participant: str
    value: float
    previous: float | None
    extracted: float | None
    document: str | None
    start: int | None
    end: int | None
    evidence: str | None
    coding_id: int | None
    coding_created: bool

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _current_values(s: Session) -> dict[int, float]:
    rows = s.execute(
        select(AttributeValue.participant_id, AttributeValue.number_value)
        .join(Attribute, AttributeValue.attribute_id == Attribute.id)
        .where(Attribute.name == CASELOAD_ATTRIBUTE)
    )
    return {pid: float(v) for pid, v in rows if v is not None}


def _best(docs: list[tuple[str, str]]) -> tuple[str | None, ShareEstimate | None]:
    """The highest-scoring estimate over a participant's (name, text) documents."""
    found = [
        (est, name)
        for (name, _t), est in zip(docs, extract_shares([t for _n, t in docs]), strict=True)
        if est is not None
    ]
    if not found:
        return None, None
    est, name = max(found, key=lambda item: item[0].score)
    return name, est


def suggest_shares(project: Project) -> list[Suggestion]:
    """One suggestion per participant, in label order."""
    with project.session() as s:
        participants = [
            (r.id, r.label) for r in s.execute(select(Participant.id, Participant.label))
        ]
        current = _current_values(s)
        docs: dict[int, list[tuple[str, str]]] = {pid: [] for pid, _l in participants}
        rows = s.execute(
            select(Document.participant_id, Document.name, Document.text)
            .where(Document.participant_id.is_not(None))
            .order_by(Document.name)
        )
        for pid, name, text in rows:
            if pid is not None:
                docs[pid].append((name, text))
    out: list[Suggestion] = []
    for pid, label in sorted(participants, key=lambda p: p[1]):
        doc_name, est = _best(docs[pid])
        out.append(Suggestion(label, current.get(pid), doc_name, est))
    return out


def _participant(s: Session, label: str) -> Participant:
    found = s.scalar(select(Participant).where(Participant.label == label.strip()))
    if found is None:
        raise NotFound(f"no participant {label!r}; 'qualcode caseload suggest' lists them")
    return found


def caseload_code(s: Session, actor: str) -> Code:
    """The top-level code "Caseload share statement", created if missing."""
    code = s.scalar(select(Code).where(Code.name == CASELOAD_CODE, Code.parent_id.is_(None)))
    if code is not None:
        return code
    position = s.scalar(select(func.max(Code.position)).where(Code.parent_id.is_(None)))
    code = Code(
        name=CASELOAD_CODE,
        parent_id=None,
        description=CASELOAD_CODE_DESCRIPTION,
        position=(position if position is not None else -1) + 1,
        guid=str(uuid.uuid4()),
    )
    s.add(code)
    s.flush()
    audit(s, actor, "add", "code", code.id, path=CASELOAD_CODE)
    return code


def _share_attribute(s: Session) -> Attribute:
    attr = s.scalar(select(Attribute).where(Attribute.name == CASELOAD_ATTRIBUTE))
    if attr is None:
        attr = Attribute(name=CASELOAD_ATTRIBUTE, kind="number")
        s.add(attr)
        s.flush()
    elif attr.kind != "number":
        raise QualcodeError(f"attribute {CASELOAD_ATTRIBUTE!r} is {attr.kind}, not a number")
    return attr


def accept_share(
    project: Project, participant: str, *, coder: str, value: float | None = None
) -> Accepted:
    """Set ``csam_share_pct`` for a participant from their transcript (or ``value``, which
    corrects it) and code the evidence sentence as ``coder``.

    Without a statement in the transcripts a ``value`` is required; then no coding is made.
    """
    low, high = SHARE_RANGE
    if value is not None and not low <= value <= high:
        raise QualcodeError(
            f"a caseload share is a percentage from {low:g} to {high:g}, not {value:g}"
        )
    with project.session() as s:
        p = _participant(s, participant)
        label = p.label
        docs = s.execute(
            select(Document.name, Document.text)
            .where(Document.participant_id == p.id)
            .order_by(Document.name)
        )
        doc_name, est = _best([(n, t) for n, t in docs])
    if est is None and value is None:
        raise QualcodeError(
            f"no caseload-share statement found in {label}'s documents; "
            "give the value with --value N"
        )
    chosen = value if value is not None else est.share_pct if est is not None else 0.0
    with project.write() as s:
        p = _participant(s, participant)
        attr = _share_attribute(s)
        row = s.scalar(
            select(AttributeValue).where(
                AttributeValue.participant_id == p.id, AttributeValue.attribute_id == attr.id
            )
        )
        previous = row.number_value if row is not None else None
        if row is None:
            row = AttributeValue(participant_id=p.id, attribute_id=attr.id)
            s.add(row)
        row.number_value = float(chosen)
        coding_id, created = None, False
        if est is not None and doc_name is not None:
            code = caseload_code(s, coder)
            memo = None if value is None else f"accepted {value:g}% (extracted {est.share_pct:g}%)"
            coding_id, created = ensure_coding(
                s,
                document=doc_name,
                code=code.id,
                coder=coder,
                start=est.start,
                end=est.end,
                memo=memo,
            )
        audit(
            s,
            coder,
            "accept",
            "caseload_share",
            p.id,
            participant=p.label,
            value=float(chosen),
            previous=previous,
            extracted=est.share_pct if est else None,
            document=doc_name,
            coding_id=coding_id,
        )
    return Accepted(
        participant=label,
        value=float(chosen),
        previous=previous,
        extracted=est.share_pct if est else None,
        document=doc_name,
        start=est.start if est else None,
        end=est.end if est else None,
        evidence=est.evidence if est else None,
        coding_id=coding_id,
        coding_created=created,
    )
