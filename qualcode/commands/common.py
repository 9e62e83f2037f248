"""What every CLI command shares: the global options, opening the project, JSON output."""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from qualcode.errors import QualcodeError

if TYPE_CHECKING:  # the store (SQLAlchemy) loads when a project is opened: not for --version
    from qualcode.store.db import Project

#: lines printed to a pipe or a file are never wrapped (Rich would wrap them at 80 columns) and
#: tables are as wide as their contents; on a terminal, output fits its width
UNWRAPPED_WIDTH = 1_000_000


def stdout_console() -> Console:
    """The console for stdout: strings print as they are (file, code and document names,
    transcript text may hold brackets); styled output is built as ``Text`` or printed with
    ``markup=True``. Emoji codes are not replaced (a code named ``Heat:fire:`` prints as typed,
    and Rich's emoji table is not loaded). Piped or redirected, lines are not wrapped unless
    COLUMNS is set."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return Console(highlight=False, markup=False, emoji=False)
    return Console(
        highlight=False, markup=False, emoji=False, soft_wrap=True, width=UNWRAPPED_WIDTH
    )


console = stdout_console()
err_console = Console(stderr=True, highlight=False, emoji=False)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


@dataclass
class GlobalState:
    project: str | None = None
    coder: str | None = None


def state(ctx: typer.Context) -> GlobalState:
    root = ctx.find_root()
    if not isinstance(root.obj, GlobalState):
        root.obj = GlobalState()
    return root.obj


def project_from(ctx: typer.Context, *, create: bool = False) -> Project:
    """Open the project named by --project, QUALCODE_PROJECT or ./qualcode.db."""
    return open_for_work(state(ctx).project, create=create)


def open_for_work(location: str | None, *, create: bool = False) -> Project:
    """Open a project to work on: its schema upgraded, and its segments re-cut when they were
    cut by older rules (a note on stderr says so)."""
    from qualcode.ingest.resegment import bring_segments_up_to_date
    from qualcode.store.db import open_project

    project = open_project(location, create=create)
    recut = bring_segments_up_to_date(project)
    if recut:
        err_console.print(
            f"the sentence and turn rules have changed: re-cut the segments of {recut} "
            "document(s); texts and codings are unchanged"
        )
    return project


def coder_from(ctx: typer.Context, *, required: bool = True) -> str | None:
    """The coder named by --coder or QUALCODE_CODER."""
    name = state(ctx).coder or os.environ.get("QUALCODE_CODER")
    if name:
        name = name.strip()
    if not name and required:
        raise QualcodeError("say who is coding with --coder NAME or QUALCODE_CODER")
    return name or None


def coder_filter(ctx: typer.Context, given: str | None = None) -> str | None:
    """The coder a listing keeps: ``given`` (the command's own ``--by`` or ``--coder``), else
    the coder named with ``--coder`` on this command line.

    ``--coder`` is a global option, so it arrives on the root command; ``QUALCODE_CODER`` in the
    environment says who is coding and does not filter listings.
    """
    if given and given.strip():
        return given.strip()
    explicit = ctx.find_root().params.get("coder")
    return str(explicit).strip() if explicit else None


def actor_from(ctx: typer.Context) -> str:
    """Who the audit log names for a change: the coder, or the operating-system user."""
    name = coder_from(ctx, required=False)
    if name:
        return name
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or "unknown"


def print_json(data: Any) -> None:
    """Write JSON to stdout (no Rich markup, no wrapping); every command's ``--json`` comes here.

    Always valid JSON: a number that is not finite (an undefined statistic, say) is written as
    ``null``, never as ``NaN`` or ``Infinity``, which JSON does not have.
    """
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text)
    sys.stdout.write("\n")
    sys.stdout.flush()


def _finite(data: Any) -> Any:
    """``data`` with every NaN or infinite float replaced by None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data
