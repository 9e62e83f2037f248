"""Study features: a study's own measure, kept whole in one package (today one: the demo
study's stated caseload share, :mod:`qualcode.caseload`).

The general packages never import a feature. They ask here for the feature modules that fill
one hook, by the hook's module name inside the feature package:

===========================  ======================  ==============================================
hook module                  asked by                what it offers
===========================  ======================  ==============================================
``domain.sheets``            the Excel/CSV exports   ``extra_sheets(session)``: the project's
                                                     extra sheets (none without the feature's data)
``faces.dashboard_panel``    the TUI dashboard       ``PANEL``: a panel class that loads its
                                                     numbers (None without the feature's data)
``faces.command``            the command line        ``register(app)``: the feature's commands
                                                     (listed under "Analysis" in the help)
``domain.attribute_ranges``  setting attributes      ``RANGES``: attribute name -> (low, high)
                             (CLI, TUI, .qdpx)       that its numbers must keep
===========================  ======================  ==============================================

The modules are imported by name when first asked for, so a face or domain package depends on
this registry, never on the feature; the feature depends on the general packages it extends.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

#: the feature packages, in the order their sheets, panels and commands appear
FEATURES: tuple[str, ...] = ("qualcode.caseload",)


def hook_modules(hook: str) -> list[ModuleType]:
    """The module ``<feature>.<hook>`` of every feature that has one, e.g. ``domain.sheets``."""
    out: list[ModuleType] = []
    for feature in FEATURES:
        name = f"{feature}.{hook}"
        if importlib.util.find_spec(name) is not None:
            out.append(importlib.import_module(name))
    return out


def attribute_ranges() -> dict[str, tuple[float, float]]:
    """The bounds the features set on their attributes' numbers (e.g. a share in percent: 0 to
    100), for whoever sets attribute values to pass to :mod:`qualcode.ingest.attributes`."""
    out: dict[str, tuple[float, float]] = {}
    for module in hook_modules("domain.attribute_ranges"):
        out.update(module.RANGES)
    return out
