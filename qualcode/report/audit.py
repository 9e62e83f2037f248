"""A summary of a project's audit trail for the report: how many changes of each kind, by
whom, from when to when (the trail itself is written by :mod:`qualcode.store.audit`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store.models import AuditEntry


@dataclass(frozen=True)
class AuditSummary:
    entries: int
    first: dt.datetime | None
    last: dt.datetime | None
    #: (action, entries, people who did it), most frequent first
    actions: list[tuple[str, int, int]]
    #: (actor, entries), most active first
    actors: list[tuple[str, int]]


def audit_summary(s: Session) -> AuditSummary:
    total, first, last = s.execute(
        select(func.count(AuditEntry.id), func.min(AuditEntry.at), func.max(AuditEntry.at))
    ).one()
    actions = s.execute(
        select(
            AuditEntry.action,
            func.count(AuditEntry.id),
            func.count(func.distinct(AuditEntry.actor)),
        )
        .group_by(AuditEntry.action)
        .order_by(func.count(AuditEntry.id).desc(), AuditEntry.action)
    ).all()
    actors = s.execute(
        select(AuditEntry.actor, func.count(AuditEntry.id))
        .group_by(AuditEntry.actor)
        .order_by(func.count(AuditEntry.id).desc(), AuditEntry.actor)
    ).all()
    return AuditSummary(
        int(total or 0),
        first,
        last,
        [(a, int(n), int(p)) for a, n, p in actions],
        [(a, int(n)) for a, n in actors],
    )
