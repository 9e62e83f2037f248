"""The feature's attribute and its range: a stated caseload share is a percentage, 0 to 100.

The hook ``domain.attribute_ranges`` (see :mod:`qualcode.features`): every way a value gets into
the attribute (an attributes CSV, ``attributes set``, the project screen, a .qdpx import,
``caseload accept``) refuses -50 or 150. Kept free of heavy imports: ``attributes set`` asks.
"""

from __future__ import annotations

CASELOAD_ATTRIBUTE = "csam_share_pct"
SHARE_RANGE = (0.0, 100.0)

RANGES: dict[str, tuple[float, float]] = {CASELOAD_ATTRIBUTE: SHARE_RANGE}
