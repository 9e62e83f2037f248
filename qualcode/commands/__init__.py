"""CLI command groups, loaded lazily.

Each module here (other than ``common``) exposes ``register(app: typer.Typer)``. :data:`COMMANDS`
names every top-level command and group, the modules whose ``register`` adds it, and the help
panel it is listed in, in the order a user works: project, transcripts, coding, analysis,
agreement, exchange. A command line imports only the modules of the command it runs (so
``qualcode documents`` never loads spaCy, pandas or Textual); ``--help`` on the whole program
imports them all. A study feature's commands (:mod:`qualcode.features`, hook ``faces.command``)
are found by name when no module here has the command, and are listed under "Analysis".

A command that a module registers but :data:`COMMANDS` does not name still runs (every module
is then loaded to find it), but slowly; ``tests/cli/test_lazy_commands.py`` fails until it is
named here.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from qualcode.features import hook_modules

#: the help panels, in the order a user works
PANELS = ("Project", "Transcripts", "Coding", "Analysis", "Agreement", "Exchange")
FEATURE_PANEL = "Analysis"


@dataclass(frozen=True)
class Entry:
    name: str  # as typed on the command line
    modules: tuple[str, ...]  # under qualcode.commands; their register() adds the command
    panel: str


def _entries(panel: str, *rows: tuple[str, str | tuple[str, ...]]) -> list[Entry]:
    return [
        Entry(name, (modules,) if isinstance(modules, str) else modules, panel)
        for name, modules in rows
    ]


COMMANDS: tuple[Entry, ...] = (
    *_entries(
        "Project",
        ("init", "project"),
        ("demo", "project"),
        ("documents", "project"),
        ("participants", "project"),
        ("tui", "project"),
        ("check", "maintenance"),
        ("copy", "maintenance"),
    ),
    *_entries(
        "Transcripts",
        ("import", "transcripts"),
        ("segments", "transcripts"),
        ("document", "transcripts"),
        ("attributes", "attributes"),
    ),
    *_entries(
        "Coding",
        ("codebook", "codebook"),
        ("codes", "codebook_edit"),
        ("code", "codings"),
        ("uncode", "codings"),
        ("codings", "codings"),
        ("memo", "codings"),
        ("memos", "codings"),
        ("autocode", "autocode"),
        ("retrieve", "retrieve"),
        ("suggest", "suggest"),
        ("similar", "suggest"),
    ),
    *_entries(
        "Analysis",
        ("summary", "analysis"),
        ("frequencies", "analysis"),
        ("matrix", "analysis"),
        ("cooccurrence", "analysis"),
        ("saturation", "saturation"),
        ("report", "report"),
    ),
    *_entries(
        "Agreement",
        ("agreement", "agreement"),
        ("disagreements", "agreement"),
        ("adjudicate", "adjudicate"),
        ("import-codings", "codings"),
        ("merge", "merge"),
    ),
    *_entries(
        "Exchange",
        ("export", ("refi", "exports")),
        ("import-qdpx", "refi"),
        ("pseudonyms", "pseudonyms"),
    ),
)


#: what Ctrl+C leaves behind, said on stderr: these commands write in one transaction
INTERRUPTED = {
    "import": "nothing was imported",
    "import-qdpx": "nothing was imported",
    "import-codings": "nothing was imported",
    "merge": "nothing was merged",
}
INTERRUPTED_DEFAULT = "nothing was half-written"


def entry(name: str) -> Entry | None:
    return next((e for e in COMMANDS if e.name == name), None)


def module_names() -> list[str]:
    """Every command module under qualcode.commands, alphabetically."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name != "common"
    )


def import_command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def feature_command_modules() -> list[ModuleType]:
    return hook_modules("faces.command")


def command_modules() -> list[ModuleType]:
    """Every command module, then the study features' (imports them all)."""
    modules = [import_command_module(n) for n in module_names()]
    return [*(m for m in modules if hasattr(m, "register")), *feature_command_modules()]
