"""The audit log: who changed what, and when. Written in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from qualcode.store.models import AuditEntry


def audit(
    s: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    **detail: Any,
) -> None:
    s.add(
        AuditEntry(
            actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail or None
        )
    )


def audit_many(
    s: Session,
    actor: str,
    action: str,
    entity: str,
    entries: Iterable[tuple[int | None, dict[str, Any]]],
) -> None:
    """One entry per ``(entity_id, detail)``, written in one statement (a bulk import's
    thousands of entries)."""
    rows = [
        {"actor": actor, "action": action, "entity": entity, "entity_id": i, "detail": d or None}
        for i, d in entries
    ]
    if rows:
        s.execute(insert(AuditEntry), rows)
