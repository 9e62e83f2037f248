"""The root command group: builds a command from its module only when it is asked for.

Typer turns every registered function into a click command by reading its signature; doing
that for every module (and importing them, with spaCy, pandas and openpyxl behind them) cost
each command line about 2 s. :class:`LazyGroup` asks :data:`qualcode.commands.COMMANDS` which
modules hold a command, registers just those on a throwaway ``typer.Typer`` and keeps the
built commands for the rest of the process. It also sets each command's help panel and keeps
the help plain: no ``<bool>`` on flags, no backticks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import typer
from typer.core import TyperGroup

from qualcode.commands import (
    COMMANDS,
    FEATURE_PANEL,
    INTERRUPTED,
    INTERRUPTED_DEFAULT,
    command_modules,
    entry,
    feature_command_modules,
    import_command_module,
)

Command = Any  # a click command (typer's vendored click has no public type to name)


def build_commands(modules: Iterable[ModuleType]) -> dict[str, Command]:
    """The top-level commands and groups that ``modules`` register, by name."""
    app = typer.Typer()
    for module in modules:
        module.register(app)
    group = typer.main.get_group(app)
    return dict(group.commands)


def plain_text(text: str | None) -> str | None:
    """Help text as a reader sees it: no reStructuredText backticks (the docstrings' ``x``),
    and a paragraph's lines joined (list items, lines starting with "- ", stay apart)."""
    if not text:
        return text
    text = re.sub(r"``([^`]+)``", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines()]
        joined = lines[0]
        for line in lines[1:]:
            joined += ("\n" if line.startswith(("- ", "* ", "• ")) else " ") + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def plain_help(command: Command, ctx: Any, *, subcommands: bool = True) -> None:
    """Plain help text (see :func:`plain_text`), and flags without a type (typer prints
    ``<bool>``), in subcommands too."""
    command.help = plain_text(command.help)
    command.short_help = plain_text(command.short_help)
    params = list(command.params)
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        if getattr(param, "is_flag", False):
            param.metavar = ""
        if getattr(param, "help", None):
            param.help = plain_text(param.help)
    if subcommands:
        for sub in getattr(command, "commands", {}).values():
            plain_help(sub, ctx)


class LazyGroup(TyperGroup):
    """A typer group whose commands are built from their modules on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = [e.name for e in COMMANDS]
        return [*names, *(n for n in self.commands if n not in names)]

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands:
            self._load(ctx, cmd_name)
        return self.commands.get(cmd_name)

    def _load(self, ctx: Any, cmd_name: str) -> None:
        known = entry(cmd_name)
        if known is not None:
            self._add(ctx, known.modules, [import_command_module(m) for m in known.modules])
            return
        # not named in COMMANDS: a study feature's command, or one not yet named there
        self._add(ctx, None, feature_command_modules(), FEATURE_PANEL)
        if cmd_name not in self.commands:
            self.load_all(ctx)

    def load_all(self, ctx: Any) -> None:
        """Every command (for the help of the whole program)."""
        self._add(ctx, None, feature_command_modules(), FEATURE_PANEL)
        self._add(ctx, None, command_modules())

    def _add(
        self,
        ctx: Any,
        names: tuple[str, ...] | None,
        modules: list[ModuleType],
        panel: str | None = None,
    ) -> None:
        """Build the commands of ``modules`` (the modules ``names``, or None: all that hold
        them); keep each one whose modules were all loaded, in its panel (else ``panel``)."""
        for name, command in build_commands(modules).items():
            known = entry(name)
            if name in self.commands or (
                names is not None and (known is None or not set(known.modules) <= set(names))
            ):
                continue
            command.rich_help_panel = known.panel if known is not None else panel
            plain_help(command, ctx)
            self.commands[name] = command

    def invoke(self, ctx: Any) -> Any:
        """Run the command; on Ctrl+C say what it left behind (exit 130)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from qualcode.commands.common import err_console

            left = INTERRUPTED.get(ctx.invoked_subcommand or "", INTERRUPTED_DEFAULT)
            err_console.print(f"interrupted: {left}", soft_wrap=True)
            raise typer.Exit(130) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.load_all(ctx)
        plain_help(self, ctx, subcommands=False)
        super().format_help(ctx, formatter)
