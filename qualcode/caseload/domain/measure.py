"""The measure itself: the attribute that holds each participant's stated caseload share, the
code its evidence gets, and whether a project has caseload data at all.

A project has caseload data when it defines the attribute ``csam_share_pct`` (imported with the
participants' attributes, or made by the first accepted share). Only then do the export sheets
and the dashboard panel of this feature show up.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.data import number_attribute
from qualcode.caseload.domain.attribute_ranges import CASELOAD_ATTRIBUTE
from qualcode.store.models import Attribute

__all__ = ["CASELOAD_ATTRIBUTE", "has_caseload_data", "share_values"]
CASELOAD_LABEL = "CSAM share of caseload"
CASELOAD_CODE = "Caseload share statement"
CASELOAD_CODE_DESCRIPTION = (
    "The participant's own statement of what share of their personal caseload is CSAM cases."
)


def has_caseload_data(s: Session) -> bool:
    """Does the project define the caseload-share attribute?"""
    found = s.scalar(select(Attribute.id).where(Attribute.name == CASELOAD_ATTRIBUTE))
    return found is not None


def share_values(s: Session) -> dict[int, float]:
    """Participant id -> stated caseload share (participants without one are absent)."""
    return number_attribute(s, CASELOAD_ATTRIBUTE)
