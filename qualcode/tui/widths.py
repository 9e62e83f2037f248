"""The terminal widths where the layouts give way, so that the text always gets the room.

Every screen gets one width class from these (Textual's ``HORIZONTAL_BREAKPOINTS``); the
``.tcss`` files say what each class shows: ``-narrow`` below :data:`NARROW_BELOW` columns (80
is the smallest supported), ``-medium`` up to :data:`WIDE_FROM`, ``-wide`` from there on.
"""

from __future__ import annotations

NARROW_BELOW = 100
WIDE_FROM = 130

BREAKPOINTS: list[tuple[int, str]] = [
    (0, "-narrow"),
    (NARROW_BELOW, "-medium"),
    (WIDE_FROM, "-wide"),
]
