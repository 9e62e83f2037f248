"""``qualcode retrieve``: the coding report, every segment coded with a code, in context."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.coding.retrieval import DEFAULT_CONTEXT, retrieve, summarise
from qualcode.commands.common import (
    JsonOpt,
    coder_filter,
    console,
    err_console,
    print_json,
    project_from,
)


def register(app: typer.Typer) -> None:
    app.command("retrieve")(retrieve_cmd)


def _filter_coders(ctx: typer.Context, by: list[str] | None) -> list[str]:
    """Coders from ``--by``, plus ``--coder`` when given on this command line (a global option,
    so it arrives on the root command; QUALCODE_CODER in the environment does NOT filter)."""
    names = [b.strip() for b in by or [] if b.strip()]
    explicit = coder_filter(ctx)
    return [*names, explicit] if explicit else names


def retrieve_cmd(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None, typer.Argument(help="Code path, name or key (several allowed).")
    ] = None,
    descendants: Annotated[
        bool, typer.Option("--descendants", help="Include the codes' sub-codes.")
    ] = False,
    group: Annotated[str | None, typer.Option("--group", help="A code group's codes.")] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            "-w",
            help="Participant attribute filter: state=Ohio, state=Ohio,Texas, "
            "years_experience>=10, participant=P07. Several must all hold.",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Only this coder's codings (also: --coder NAME)."),
    ] = None,
    document: Annotated[
        list[str] | None,
        typer.Option("--document", "-d", help="Only this document (name, stem or #id)."),
    ] = None,
    document_group: Annotated[
        str | None, typer.Option("--document-group", help="Only documents in this group.")
    ] = None,
    context: Annotated[
        str,
        typer.Option(
            "--context", help="Context shown: sentence, turn, paragraph, or N characters."
        ),
    ] = str(DEFAULT_CONTEXT),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also save the segments to FILE.csv or FILE.xlsx."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Every segment coded with CODE (or --group) across the corpus, with its context."""
    project = project_from(ctx)
    with project.session() as s:
        rows = retrieve(
            s,
            codes=codes or [],
            group=group,
            descendants=descendants,
            where=where or [],
            coders=_filter_coders(ctx, by),
            documents=document or [],
            document_group=document_group,
            context=context,
        )
    summary = summarise(rows)
    if out is not None:
        # the writers (pandas, openpyxl) are loaded only when the passages are saved
        from qualcode.interop.retrieval_export import save_retrieved

        saved = save_retrieved(rows, out)
        err_console.print(f"saved {len(rows)} segment(s) to {saved.path}", markup=False)
    if json_out:
        print_json({"summary": summary.as_json(), "segments": [r.as_json() for r in rows]})
        return
    for r in rows:
        head = Text()
        head.append(r.document, style="bold")
        if r.participant:
            head.append(f"  {r.participant}")
        if r.speaker and r.speaker != r.participant:
            head.append(f" (speaker {r.speaker})", style="dim")
        head.append(f"  {r.code}", style="cyan")
        head.append(f"  {r.coder}  {r.start}-{r.end}", style="dim")
        console.print(head)
        body = Text("  ")
        body.append(" ".join(r.before.split()) + (" " if r.before[-1:].isspace() else ""))
        body.append(" ".join(r.text.split()), style="bold reverse")
        body.append((" " if r.after[:1].isspace() else "") + " ".join(r.after.split()))
        console.print(body)
        if r.memo:
            console.print(Text(f"  memo: {r.memo}", style="italic"))
        console.print()
    console.print(
        f"{summary.segments} segment(s) in {summary.documents} document(s) "
        f"from {summary.participants} participant(s)"
    )
