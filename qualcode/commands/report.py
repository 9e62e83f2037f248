"""``qualcode report OUT.html``: the project in one self-contained HTML page
(:mod:`qualcode.report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.commands.common import JsonOpt, coder_filter, console, print_json, project_from
from qualcode.errors import QualcodeError

PSEUDONYMISED_NOT_YET = (
    "--pseudonymised is not available yet: this qualcode has no pseudonymised copies of a project"
)


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The HTML file to write, e.g. report.html.")],
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    pseudonymised: Annotated[
        bool,
        typer.Option("--pseudonymised", help="Report on a pseudonymised copy of the project."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Write the project's report: codebook, figures, agreement, saturation, quotes, audit trail.

    One HTML file with its styles and charts inside: it opens offline in any browser, makes no
    request to the network, and prints. Agreement compares every coder (--coder does not
    apply to it).
    """
    from qualcode.report.build import write_report

    if pseudonymised:
        # the renderer takes a project, so a pseudonymised copy renders like the project itself:
        # with pseudonymised_copy(project) as copy: write_report(copy, out, who)
        raise QualcodeError(PSEUDONYMISED_NOT_YET)
    who = coder or coder_filter(ctx)
    path = write_report(project_from(ctx), out, who)
    if json_out:
        print_json({"path": str(path), "coder": who})
        return
    console.print(f"report written: {path}")
