"""Coders: the people whose codings are kept apart and compared."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.errors import QualcodeError
from qualcode.store.models import Coder, Coding

MAX_CODER_NAME = 100


def get_or_create_coder(s: Session, name: str) -> Coder:
    name = name.strip()
    if not name:
        raise QualcodeError("a coder's name cannot be empty")
    if len(name) > MAX_CODER_NAME:
        raise QualcodeError(f"a coder's name is at most {MAX_CODER_NAME} characters")
    coder = s.scalar(select(Coder).where(Coder.name == name))
    if coder is None:
        coder = Coder(name=name)
        s.add(coder)
        s.flush()
    return coder


def coder_names(s: Session) -> list[str]:
    """Every coder's name, alphabetically."""
    return list(s.scalars(select(Coder.name).order_by(Coder.name)).all())


def coders_by_codings(s: Session) -> list[str]:
    """The coders who have codings, those with the most first (then by name)."""
    stmt = (
        select(Coder.name)
        .join(Coding, Coding.coder_id == Coder.id)
        .group_by(Coder.id, Coder.name)
        .order_by(func.count(Coding.id).desc(), Coder.name)
    )
    return list(s.scalars(stmt))
