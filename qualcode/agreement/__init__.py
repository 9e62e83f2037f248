"""Intercoder agreement statistics: pure functions over reliability matrices.

A reliability matrix is a list of coder rows over the same units, ``None`` for a missing
rating. Every coefficient returns a float or raises :class:`NotComputable` with the reason;
none returns NaN.

The project-level report lives in submodules that this package does not import:
``qualcode.agreement.project_report.agreement_report`` (reads a project),
``qualcode.agreement.report.build_report`` and ``qualcode.agreement.units`` (plain data), and
``qualcode.agreement.disagreements.list_disagreements`` (for the supervisor's screen).
"""

from qualcode.agreement.alpha import LEVELS, AlphaParts, Level, alpha_parts, krippendorff_alpha
from qualcode.agreement.bootstrap import AlphaInterval, krippendorff_alpha_bootstrap
from qualcode.agreement.errors import NotComputable
from qualcode.agreement.intervals import (
    Estimate,
    brennan_prediger_se,
    cohen_kappa_se,
    cohen_kappa_se_from_table,
    fleiss_kappa_se,
    fleiss_kappa_se_from_counts,
    gwet_ac1_se,
)
from qualcode.agreement.matrix import Ratings, as_ratings, coincidences
from qualcode.agreement.multirater import (
    conger_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
)
from qualcode.agreement.pairwise import (
    brennan_prediger,
    cohen_kappa,
    cohen_kappa_from_table,
    contingency_table,
    percent_agreement,
    scott_pi,
)

__all__ = [
    "LEVELS",
    "AlphaInterval",
    "AlphaParts",
    "Estimate",
    "Level",
    "NotComputable",
    "Ratings",
    "alpha_parts",
    "as_ratings",
    "brennan_prediger",
    "brennan_prediger_se",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "cohen_kappa_se",
    "cohen_kappa_se_from_table",
    "coincidences",
    "conger_kappa",
    "contingency_table",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "fleiss_kappa_se",
    "fleiss_kappa_se_from_counts",
    "gwet_ac1",
    "gwet_ac1_se",
    "krippendorff_alpha",
    "krippendorff_alpha_bootstrap",
    "percent_agreement",
    "scott_pi",
]
