"""Project store: models, sessions and migrations."""

from qualcode.store.db import Project, open_project, resolve_url
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    AuditEntry,
    Base,
    Code,
    Coder,
    Coding,
    Document,
    Memo,
    Participant,
    Segment,
    Setting,
)

__all__ = [
    "Attribute",
    "AttributeValue",
    "AuditEntry",
    "Base",
    "Code",
    "Coder",
    "Coding",
    "Document",
    "Memo",
    "Participant",
    "Project",
    "Segment",
    "Setting",
    "open_project",
    "resolve_url",
]
