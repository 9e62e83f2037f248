"""The numbers of the caseload panel on the dashboard: the share's statistics over all
participants and every participant's share (for the histogram)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.analysis.tables import summary_table, to_records
from qualcode.caseload.domain.measure import CASELOAD_ATTRIBUTE, has_caseload_data, share_values
from qualcode.store.db import Project


@dataclass(frozen=True)
class PanelNumbers:
    #: the overall row of :func:`qualcode.analysis.tables.summary_table` (n, missing, mean...)
    overall: dict[str, Any]
    #: every stated share, ascending
    shares: list[float]


def panel_numbers(project: Project) -> PanelNumbers | None:
    """The panel's numbers, or None when the project has no caseload data (no panel then)."""
    with project.session() as s:
        if not has_caseload_data(s):
            return None
        overall = to_records(summary_table(s, CASELOAD_ATTRIBUTE))[0]
        return PanelNumbers(overall, sorted(share_values(s).values()))
