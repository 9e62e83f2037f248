"""The one error of the agreement statistics: a coefficient that is undefined for the data."""

from __future__ import annotations

from qualcode.errors import QualcodeError


class NotComputable(QualcodeError):
    """A statistic is undefined for these data; the message says why.

    Raised instead of returning NaN: for empty data, fewer than two pairable units, a single
    coder, or a 0/0 chance correction (every coder used one and the same category).
    """
