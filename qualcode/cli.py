"""The ``qualcode`` command line: a thin face over the domain packages.

Exit codes: 0 success, 2 bad input (one line on stderr, no traceback), 1 internal error.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from qualcode.commands import common
from qualcode.commands.lazy import LazyGroup

app = typer.Typer(
    name="qualcode",
    help="Qualitative coding of interview transcripts: import, code, retrieve, measure agreement.",
    cls=LazyGroup,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    add_completion=False,
)

GLOBAL_OPTIONS = ("--project", "--coder")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        common.console.print(f"qualcode {version('qualcode')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            help="Project: a SQLite file or a SQLAlchemy URL. \\[env: QUALCODE_PROJECT]",
        ),
    ] = None,
    coder: Annotated[
        str | None,
        typer.Option("--coder", help="Who is coding. \\[env: QUALCODE_CODER]"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options go anywhere on the command line, before or after the subcommand."""
    st = common.state(ctx)
    st.project = project or os.environ.get("QUALCODE_PROJECT") or None
    st.coder = coder or os.environ.get("QUALCODE_CODER") or None
    if ctx.invoked_subcommand is None:
        from qualcode.commands.project import open_tui

        open_tui(ctx)


_command: Any = None


def _command_line() -> Any:
    """The command group, built once per process (tests call ``main`` many times in one
    process); its commands are built from their modules when first run (see LazyGroup)."""
    global _command
    if _command is None:
        _command = typer.main.get_command(app)
    return _command


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move ``--project X`` / ``--coder X`` from anywhere to the front, so every subcommand
    accepts them. Arguments after ``--`` are left alone."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
                i += 1
                continue
            front.extend(argv[i : i + 2])
            i += 2
            continue
        rest.append(arg)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> None:
    from rich.markup import escape

    from qualcode.errors import QualcodeError, concurrent_problem

    command = _command_line()
    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    try:
        command.main(args=args, prog_name="qualcode", standalone_mode=True)
    except QualcodeError as exc:
        common.err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise SystemExit(2) from None
    except SystemExit:
        raise
    except Exception as exc:  # internal error: short message, traceback only on request
        known = concurrent_problem(exc)  # another writer's work, not a bug: exit 2
        if known is not None:
            common.err_console.print(f"[bold red]error:[/] {escape(known)}", soft_wrap=True)
            raise SystemExit(2) from None
        if os.environ.get("QUALCODE_DEBUG"):
            raise
        orig = getattr(exc, "orig", None) or exc
        first = (str(orig).strip().splitlines() or [""])[0]
        common.err_console.print(
            f"[bold red]internal error:[/] {type(orig).__name__}: {escape(first)} "
            "(set QUALCODE_DEBUG=1 for the traceback)",
            soft_wrap=True,
            markup=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
