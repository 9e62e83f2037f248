"""The footer every screen shows: Textual's, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from qualcode.tui.widths import NARROW_BELOW

#: quiet time before the keys are rebuilt (opening a screen changes the bindings 4-5 times)
REBUILD_DELAY = 0.05


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys (a widget and two style passes each) on every
    bindings change, and opening a screen makes several, spread over a few refreshes:
    pushing it, mounting it, focusing a widget. Here they are coalesced into one rebuild once
    the bindings have been still for :data:`REBUILD_DELAY`."""

    _rebuild_timer: Timer | None = None

    def __init__(self) -> None:
        # the key map shows ctrl+p itself (Textual would show it a second time, on the right)
        super().__init__(show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < NARROW_BELOW

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._rebuild_timer is not None:
            self._rebuild_timer.stop()
        self._rebuild_timer = self.set_timer(REBUILD_DELAY, self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_timer = None
        await self.recompose()
