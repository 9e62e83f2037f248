"""What every screen is handed: the open project, the coder, and the coding service."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.coding.history import History
from qualcode.store.db import Project
from qualcode.tui.coding_service import CodingService


@dataclass
class AppContext:
    project: Project
    coder: str
    #: the coder's undoable edits; screens reach it only through ``coding``
    history: History
    #: the one path of every coding edit in the workbench
    coding: CodingService

    @classmethod
    def create(
        cls, project: Project, coder: str, *, poll_seconds: float | None = None
    ) -> AppContext:
        history = History(project, coder)
        service = CodingService(project, history, poll_seconds=poll_seconds)
        return cls(project=project, coder=coder, history=history, coding=service)
