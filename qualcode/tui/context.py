"""What every screen is handed: the open project and the coder (attributes go down)."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.coding.history import History
from qualcode.store.db import Project


@dataclass
class AppContext:
    project: Project
    coder: str
    history: History

    @classmethod
    def create(cls, project: Project, coder: str) -> AppContext:
        return cls(project=project, coder=coder, history=History(project, coder))
