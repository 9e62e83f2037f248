"""What the review screen lists: each participant's suggestion, where its document is, and
whether its evidence is coded already (so the screen never touches the store itself)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from qualcode.caseload.domain.accept import Suggestion, suggest_shares
from qualcode.caseload.domain.measure import CASELOAD_CODE
from qualcode.store.db import Project
from qualcode.store.models import Code, Coding, Document


@dataclass(frozen=True)
class ReviewRow:
    """A suggestion, where its document is, and whether its evidence is coded already."""

    suggestion: Suggestion
    document_id: int | None
    coded: bool

    @property
    def label(self) -> str:
        return self.suggestion.participant

    @property
    def status(self) -> str:
        s = self.suggestion
        if s.estimate is None:
            return "no statement found"
        if self.coded:
            return "accepted" if s.agrees else "corrected"
        if s.current is None:
            return "to review"
        return "same value, not coded" if s.agrees else "differs"


def review_rows(project: Project) -> tuple[list[ReviewRow], bool]:
    """The review rows, and whether the code "Caseload share statement" exists yet."""
    suggestions = suggest_shares(project)
    with project.session() as s:
        doc_ids = {name: did for name, did in s.execute(select(Document.name, Document.id))}
        code_id = s.scalar(
            select(Code.id).where(Code.name == CASELOAD_CODE, Code.parent_id.is_(None))
        )
        coded: set[tuple[int, int, int]] = set()
        if code_id is not None:
            rows = s.execute(
                select(Coding.document_id, Coding.start, Coding.end).where(
                    Coding.code_id == code_id
                )
            ).tuples()
            coded = set(rows.all())
    out = []
    for sug in suggestions:
        doc_id = doc_ids.get(sug.document) if sug.document else None
        est = sug.estimate
        is_coded = est is not None and (doc_id, est.start, est.end) in coded
        out.append(ReviewRow(sug, doc_id, is_coded))
    return out, code_id is not None
