"""Whose codings the counts count: one rule for frequencies, matrices, co-occurrence, the
frequency chart and the dashboard.

The coder ``consensus`` holds the settled version of two coders' disagreements, so its codings
are never added to the coders' own. Unless one coder is named:

* when ``consensus`` has codings, only its codings are counted;
* otherwise every coder's codings are counted (added up), with a breakdown by coder.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.data import CodingRow, coder_exists, coding_rows
from qualcode.store.models import Coder, Coding

#: the coder that settled disagreements are written as (see qualcode.agreement.consensus)
CONSENSUS = "consensus"


@dataclass(frozen=True)
class CountedCoders:
    """The coders whose codings are counted; ``consensus``: only the consensus coder's."""

    coders: tuple[str, ...]
    consensus: bool = False

    @property
    def breakdown(self) -> bool:
        """Several coders' codings are added up: show each coder's counts too."""
        return len(self.coders) > 1

    def as_json(self) -> dict[str, object]:
        return {"coders": list(self.coders), "consensus": self.consensus}

    def describe(self) -> str:
        if not self.coders:
            return "no codings yet"
        if self.consensus:
            return f"the {CONSENSUS} coder's codings"
        if self.breakdown:
            return f"codings of {', '.join(self.coders)} (added up; by coder below)"
        return f"{self.coders[0]}'s codings"


def counted_coders(
    s: Session, coder: str | None = None, *, separately: bool = False
) -> CountedCoders:
    """The coders counted: ``coder`` alone when given, else the rule of the module docstring;
    with ``separately`` (a table grouped by coder, which adds nobody's codings to another's)
    every coder with codings, consensus included."""
    if coder is not None:
        coder_exists(s, coder)
        return CountedCoders((coder,), consensus=coder == CONSENSUS)
    names = coders_with_codings(s)
    if CONSENSUS in names and not separately:
        return CountedCoders((CONSENSUS,), consensus=True)
    return CountedCoders(tuple(names))


def coders_with_codings(s: Session) -> list[str]:
    """Every coder with at least one coding, by name."""
    stmt = select(Coder.name).where(Coder.id.in_(select(Coding.coder_id))).order_by(Coder.name)
    return list(s.scalars(stmt))


def counted_coding_rows(
    s: Session, coder: str | None = None, *, separately: bool = False
) -> list[CodingRow]:
    """The codings the tables count, as :func:`qualcode.analysis.data.coding_rows`: ``coder``'s,
    or by the rule of the module docstring; with ``separately`` (grouped by coder) every
    coder's."""
    counted = counted_coders(s, coder, separately=separately)
    rows = coding_rows(s, coder)
    if coder is None:
        keep = set(counted.coders)
        rows = [r for r in rows if r[3] in keep]
    return rows
