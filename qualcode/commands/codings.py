"""Coding from scripts: code, uncode, codings, memo, memos and import-codings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from qualcode.coding import add_memo, ensure_coding, list_codings, remove_coding
from qualcode.coding.csv_import import import_codings_csv
from qualcode.coding.memos import memo_rows
from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    coder_filter,
    coder_from,
    console,
    print_json,
    project_from,
)


def register(app: typer.Typer) -> None:
    app.command("code")(code)
    app.command("uncode")(uncode)
    app.command("codings")(codings)
    app.command("memo")(memo)
    app.command("memos")(memos)
    app.command("import-codings")(import_codings)


def code(
    ctx: typer.Context,
    document: Annotated[
        str,
        typer.Option(
            "--document", "-d", help="A document: its name, its name without extension, or #id."
        ),
    ],
    code_ref: Annotated[str, typer.Option("--code", "-c", help="Code path, name or key.")],
    start: Annotated[int, typer.Option("--start", "-s", help="Start offset (characters).")],
    end: Annotated[int, typer.Option("--end", "-e", help="End offset (exclusive).")],
    memo_text: Annotated[str | None, typer.Option("--memo", help="A memo on the coding.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Code a span of a document as the current coder (committed at once)."""
    coder = coder_from(ctx)
    assert coder is not None
    project = project_from(ctx)
    with project.write() as s:
        coding_id, created = ensure_coding(
            s, document=document, code=code_ref, coder=coder, start=start, end=end, memo=memo_text
        )
    if json_out:
        print_json({"id": coding_id, "created": created})
    else:
        console.print(f"coding {coding_id} {'added' if created else 'was already there'}")


def uncode(
    ctx: typer.Context,
    coding_id: Annotated[int, typer.Argument(help="The coding's id (see 'qualcode codings').")],
    any_coder: Annotated[
        bool,
        typer.Option(
            "--any-coder", help="Remove it even if another coder made it (the audit log says who)."
        ),
    ] = False,
) -> None:
    """Remove one of your codings (another coder's only with --any-coder)."""
    project = project_from(ctx)
    actor = actor_from(ctx) if any_coder else coder_from(ctx)
    assert actor is not None
    with project.write() as s:
        gone = remove_coding(s, coding_id, actor=actor, any_coder=any_coder)
    console.print(f"coding {coding_id} removed ({gone.start}-{gone.end})")


def codings(
    ctx: typer.Context,
    document: Annotated[
        str | None, typer.Option("--document", "-d", help="Only this document (name, stem or #id).")
    ] = None,
    code_ref: Annotated[str | None, typer.Option("--code", "-c")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Only this coder's codings (also: --coder NAME).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """List codings with their code path, coder, offsets and text."""
    project = project_from(ctx)
    with project.session() as s:
        rows = list_codings(s, document=document, code=code_ref, coder=coder_filter(ctx, by))
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    table = Table("id", "document", "code", "coder", "span", "text")
    for r in rows:
        text = " ".join(r.text.split())
        table.add_row(
            str(r.id),
            r.document,
            r.code,
            r.coder,
            f"{r.start}-{r.end}",
            text if len(text) <= 80 else text[:77] + "...",
        )
    console.print(table)
    console.print(f"{len(rows)} coding(s)")


def memo(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The memo's text.")],
    on: Annotated[
        str, typer.Option("--on", help="project, document, annotation, code or coding.")
    ] = "project",
    ref: Annotated[
        str | None,
        typer.Option("--ref", help="The document (name, stem or #id), code path or coding id."),
    ] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    start: Annotated[
        int | None, typer.Option("--start", help="An annotation's start offset.")
    ] = None,
    end: Annotated[int | None, typer.Option("--end", help="An annotation's end offset.")] = None,
) -> None:
    """Write a memo on the project, a document, a passage of one (annotation), a code or a
    coding."""
    coder = coder_from(ctx)
    assert coder is not None
    project = project_from(ctx)
    with project.write() as s:
        m = add_memo(
            s, body=text, coder=coder, target=on, ref=ref, title=title, start=start, end=end
        )
        memo_id = m.id
    console.print(f"memo {memo_id} saved")


def memos(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--on", help="Only memos on this kind of target.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """List memos: on the project, documents, passages, codes and codings."""
    project = project_from(ctx)
    with project.session() as s:
        rows = memo_rows(s, on)
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    table = Table("id", "on", "coder", "title", "memo")
    for r in rows:
        table.add_row(str(r.id), f"{r.target}: {r.about}", r.coder or "", r.title, r.body)
    console.print(table)


def import_codings(
    ctx: typer.Context,
    csv_file: Annotated[
        Path,
        typer.Argument(help="CSV: document (name, stem or #id), coder, code, start, end or text."),
    ],
    json_out: JsonOpt = False,
) -> None:
    """Import codings from a spreadsheet. All rows or none."""
    project = project_from(ctx)
    report = import_codings_csv(project, csv_file)
    if json_out:
        print_json(report.as_json())
        return
    console.print(
        f"{report.added} coding(s) added, {report.already_there} already there, "
        f"{report.memos_added} memo(s) added (coders: {', '.join(sorted(report.coders))})"
    )
