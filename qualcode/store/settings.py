"""Project-wide settings: a small key/value table (project name, codebook name and version)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.store.models import Setting

PROJECT_NAME = "project_name"


def get_setting(s: Session, key: str) -> str | None:
    setting = s.get(Setting, key)
    return setting.value if setting is not None else None


def set_setting(s: Session, key: str, value: str) -> None:
    setting = s.get(Setting, key)
    if setting is None:
        s.add(Setting(key=key, value=value))
    else:
        setting.value = value


def project_name(s: Session) -> str | None:
    """The name the project was given (``qualcode init --name``), if any."""
    return get_setting(s, PROJECT_NAME)
