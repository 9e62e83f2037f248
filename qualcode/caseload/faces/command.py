"""``qualcode caseload extract|suggest|accept|summary``: participants' stated caseload shares.

Registered through :mod:`qualcode.features` (the ``faces.command`` hook). The group exists in
every project: ``extract`` needs no project, and ``accept`` gives a project its caseload data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from qualcode.caseload.domain.accept import accept_share, suggest_shares
from qualcode.caseload.domain.files import extract_files
from qualcode.caseload.domain.measure import CASELOAD_ATTRIBUTE, CASELOAD_LABEL
from qualcode.commands.analysis import print_summary
from qualcode.commands.common import (
    JsonOpt,
    coder_from,
    console,
    print_json,
    project_from,
)

caseload_app = typer.Typer(
    help=f"The {CASELOAD_LABEL} each participant states, found in the transcripts.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(caseload_app, name="caseload")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _short(text: str | None, width: int = 70) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


@caseload_app.command("extract")
def extract(
    files: Annotated[list[Path], typer.Argument(help="Transcript files (.txt, .md, .docx, ...).")],
    json_out: JsonOpt = False,
) -> None:
    """Find each file's caseload-share statement (no project needed)."""
    rows = extract_files(files)
    if json_out:
        print_json(rows)
        return
    table = Table("file", "share %", "range", "evidence", "span")
    for r in rows:
        span = "" if r["start"] is None else f"{r['start']}-{r['end']}"
        low, high = r["low"], r["high"]
        rng = "" if low is None or low == high else f"{low:g}-{high:g}"
        table.add_row(r["file"], _num(r["share_pct"]), rng, _short(r["evidence"]), span)
    console.print(table)


@caseload_app.command("suggest")
def suggest(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """For each participant: the share found in their documents next to the current value."""
    rows = suggest_shares(project_from(ctx))
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    table = Table("participant", CASELOAD_ATTRIBUTE, "suggested", "same", "document", "evidence")
    for r in rows:
        est = r.estimate
        same = {True: "yes", False: "NO", None: ""}[r.agrees]
        table.add_row(
            r.participant,
            _num(r.current),
            _num(est.share_pct if est else None),
            same,
            r.document or "",
            _short(est.evidence if est else None),
        )
    console.print(table)


@caseload_app.command("accept")
def accept(
    ctx: typer.Context,
    participant: Annotated[str, typer.Argument(help="The participant's label, e.g. P07.")],
    value: Annotated[
        float | None, typer.Option("--value", help="Use this share (percent) instead.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Set the participant's caseload share and code the evidence as the current coder."""
    coder = coder_from(ctx)
    assert coder is not None
    result = accept_share(project_from(ctx), participant, coder=coder, value=value)
    if json_out:
        print_json(result.as_json())
        return
    msg = f"{result.participant}: {CASELOAD_ATTRIBUTE} = {result.value:g}"
    if result.previous is not None and result.previous != result.value:
        msg += f" (was {result.previous:g})"
    if result.coding_id is not None:
        state = "added" if result.coding_created else "already there"
        msg += f"; evidence coded in {result.document} (coding {result.coding_id}, {state})"
    else:
        msg += "; no statement found in the transcripts, so nothing was coded"
    console.print(msg)


@caseload_app.command("summary")
def summary(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help="Group by this attribute.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The caseload share's statistics, as 'qualcode summary' gives them for its attribute."""
    print_summary(ctx, CASELOAD_ATTRIBUTE, by, json_out)
