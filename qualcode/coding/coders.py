"""Coders: the people whose codings are kept apart and compared."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import QualcodeError
from qualcode.store.models import Coder

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
