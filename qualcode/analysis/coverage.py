"""How much of each document is coded: the project overview's numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store.models import Coding, Document, Participant, Segment
from qualcode.store.settings import project_name


@dataclass(frozen=True)
class ProjectCounts:
    """The project's name (None if it has none) and how much it holds."""

    name: str | None
    documents: int
    participants: int
    codings: int


def project_counts(s: Session) -> ProjectCounts:
    def count(model: type[Document] | type[Participant] | type[Coding]) -> int:
        return s.scalar(select(func.count()).select_from(model)) or 0

    return ProjectCounts(project_name(s), count(Document), count(Participant), count(Coding))


def merged_length(spans: list[tuple[int, int]]) -> int:
    """Characters covered by the union of spans."""
    total = 0
    cur_start = cur_end = -1
    for start, end in sorted(spans):
        if start > cur_end:
            total += max(0, cur_end - cur_start)
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    total += max(0, cur_end - cur_start)
    return total


def document_overview(s: Session, coder: str | None = None) -> list[dict[str, object]]:
    """Per document: participant, format, length, turns, codings and the share of text coded."""
    from qualcode.store.models import Coder

    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    stmt = select(Coding.document_id, Coding.start, Coding.end)
    if coder is not None:
        stmt = stmt.join(Coder, Coding.coder_id == Coder.id).where(Coder.name == coder)
    for doc_id, start, end in s.execute(stmt):
        spans[doc_id].append((start, end))
    turns = dict(
        s.execute(
            select(Segment.document_id, func.count())
            .where(Segment.kind == "turn")
            .group_by(Segment.document_id)
        ).all()
    )
    rows = s.execute(
        select(
            Document.id,
            Document.name,
            Document.source_format,
            Document.length,
            Participant.label,
        )
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name)
    ).all()
    out: list[dict[str, object]] = []
    for doc_id, name, fmt, length, label in rows:
        covered = merged_length(spans.get(doc_id, []))
        out.append(
            {
                "document": name,
                "participant": label,
                "format": fmt,
                "characters": length,
                "turns": turns.get(doc_id, 0),
                "codings": len(spans.get(doc_id, [])),
                "coded_share": covered / length if length else 0.0,
            }
        )
    return out
