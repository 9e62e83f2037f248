"""The one way a screen that shows project data keeps up with changes made elsewhere."""

from __future__ import annotations

from textual.screen import Screen


class DataScreen(Screen[None]):
    """A screen showing project data that other screens (or another instance) may change.

    The app calls :meth:`refresh_data` when codings or the codebook change on another screen,
    and on F5. A screen in front reloads at once; a hidden one only notes that it is stale and
    reloads once, when it shows again. Closing a modal over a screen that is not stale reloads
    nothing.
    """

    _stale = False

    def refresh_data(self) -> None:
        if self.app.screen is self:
            self._stale = False
            self.reload_data()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload_data()

    def reload_data(self) -> None:
        """Read what the screen shows again."""
        raise NotImplementedError
