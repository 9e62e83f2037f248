"""``qualcode report OUT.html``: the project in one self-contained HTML page
(:mod:`qualcode.report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.commands.common import JsonOpt, coder_filter, console, print_json, project_from
from qualcode.commands.pseudonyms import (
    GeneraliseOpt,
    KOpt,
    PseudonymisedOpt,
    QuasiOpt,
    share_export,
)
from qualcode.store import Project


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The HTML file to write, e.g. report.html.")],
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    pseudonymised: PseudonymisedOpt = False,
    generalise: GeneraliseOpt = None,
    quasi: QuasiOpt = None,
    k: KOpt = 3,
    json_out: JsonOpt = False,
) -> None:
    """Write the project's report: codebook, figures, agreement, saturation, quotes, audit trail.

    One HTML file with its styles and charts inside: it opens offline in any browser, makes no
    request to the network, and prints. Agreement compares every coder (--coder does not
    apply to it).
    """
    from qualcode.report.build import write_report

    who = coder_filter(ctx, coder)

    def write(project: Project, target: Path) -> Path:
        return write_report(project, target, who)

    if pseudonymised:
        # rendered from the pseudonymised copy, scanned for every original before it is placed
        share_export(ctx, out, write, generalise=generalise, quasi=quasi, k=k)
        path = out
    else:
        path = write(project_from(ctx), out)
    if json_out:
        print_json({"path": str(path), "coder": who})
        return
    console.print(f"report written: {path}")
