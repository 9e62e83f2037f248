"""The dashboard's panels: the :class:`Panel` frame every panel sits in, and the extra panels
a study feature adds in a project that has its data (:mod:`qualcode.features`, hook
``faces.dashboard_panel``: a module whose ``PANEL`` is an :class:`ExtraPanel` subclass).

An extra panel loads its numbers in the dashboard's worker thread (:meth:`ExtraPanel.load`,
None when the project has no data for it) and draws them on the main thread
(:meth:`ExtraPanel.show`). Its keys (``KEYS``) work anywhere on the dashboard while it is shown.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from textual.containers import Vertical

from qualcode.features import hook_modules
from qualcode.store.db import Project
from qualcode.tui.context import AppContext
from qualcode.tui.keys import KeyGroup


class Panel(Vertical):
    """One dashboard panel; ``z`` maximizes the panel holding the focus."""

    ALLOW_MAXIMIZE = True


class ExtraPanel(Panel):
    """A study feature's panel. Subclasses set ``PANEL_ID``, may set ``KEYS`` (their actions
    are ``action_*`` methods of the panel) and implement :meth:`load` and :meth:`show`."""

    PANEL_ID: ClassVar[str] = ""
    KEYS: ClassVar[KeyGroup | None] = None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(id=self.PANEL_ID)
        self.ctx = ctx

    @classmethod
    def load(cls, project: Project, coder: str | None) -> Any | None:
        """The panel's numbers (no Textual: runs in a worker), or None: no panel here."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Draw what :meth:`load` returned."""
        raise NotImplementedError


def extra_panel_classes() -> list[type[ExtraPanel]]:
    """The panel classes of every study feature that has one."""
    return [cast(type[ExtraPanel], m.PANEL) for m in hook_modules("faces.dashboard_panel")]
