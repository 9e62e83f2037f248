"""CLI command groups.

Each module here (other than ``common``) exposes ``register(app: typer.Typer)``;
``qualcode.cli`` finds and wires them up, in alphabetical order of module name, then the
commands of the study features (:mod:`qualcode.features`, hook ``faces.command``).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from qualcode.features import hook_modules


def command_modules() -> list[ModuleType]:
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return [*modules, *hook_modules("faces.command")]
