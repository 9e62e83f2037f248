"""``qualcode import``: transcripts (.txt .md .docx .vtt .srt), files or folders; a lone REFI-QDA
project (.qdpx) is handed to ``import-qdpx``. ``qualcode segments``: a document's units.
``qualcode document rename|delete|resegment``: caring for an imported document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from qualcode.analysis.units import SEGMENT_UNITS, list_units
from qualcode.coding.document_removal import delete_document
from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    console,
    err_console,
    print_json,
    project_from,
)
from qualcode.errors import QualcodeError
from qualcode.ingest import TurnRules, import_files
from qualcode.ingest.documents import rename_document, resegment_document

document_app = typer.Typer(
    help="Rename, delete or re-cut an imported document.", no_args_is_help=True
)

DocumentArg = Annotated[
    str, typer.Argument(help="A document: its name, its name without extension, or #id.")
]
TurnLabelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--turn-label",
        help="A regular expression for extra speaker labels (repeatable), e.g. 'DET\\. \\w+'.",
    ),
]
NoNamesOpt = Annotated[
    bool,
    typer.Option("--no-names", help="Only known labels (Q, A, Interviewer, P07...) start turns."),
]


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("segments")(segments_cmd)
    app.add_typer(document_app, name="document")


def import_cmd(
    ctx: typer.Context,
    files: Annotated[
        list[str], typer.Argument(help="Transcript files or folders, or one REFI-QDA .qdpx.")
    ],
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Skip files that cannot be imported, and list them.")
    ] = False,
    turn_label: TurnLabelOpt = None,
    no_names: NoNamesOpt = False,
    unflatten: Annotated[
        bool,
        typer.Option(
            "--unflatten",
            help="(.qdpx) Read code names like 'Coke::diet Coke' as a hierarchy (ATLAS.ti).",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Import transcripts. The batch is all-or-nothing unless --skip-bad is given.

    A .qdpx given alone is imported as a REFI-QDA project, as ``import-qdpx`` does.
    """
    rules = TurnRules(extra=list(turn_label or []), allow_names=not no_names)
    qdpx = [f for f in files if Path(f).suffix.lower() == ".qdpx" and not Path(f).is_dir()]
    if qdpx:
        if len(files) > 1:
            raise QualcodeError(
                f"a .qdpx is imported on its own: got {len(qdpx)} .qdpx and "
                f"{len(files) - len(qdpx)} other argument(s); import each separately"
            )
        if skip_bad:
            raise QualcodeError("--skip-bad does not apply to a .qdpx: it imports all or nothing")
        from qualcode.commands.refi import run_qdpx_import

        run_qdpx_import(ctx, Path(qdpx[0]), unflatten=unflatten, json_out=json_out, rules=rules)
        return
    if unflatten:
        raise QualcodeError("--unflatten applies to a REFI-QDA .qdpx only")
    project = project_from(ctx)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True, disable=json_out) as bar:
        task = bar.add_task("importing", total=None)

        def step(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"importing {name[:40]}")

        report = import_files(
            project,
            list(files),
            actor=actor_from(ctx),
            skip_bad=skip_bad,
            rules=rules,
            progress=step,
        )
    if json_out:
        print_json(report.as_json())
        return
    console.print(f"imported {len(report.imported)} document(s) into {project.display_name}")
    for source, name in report.renamed:
        console.print(f"  {source}: a document has that name already; imported as {name!r}")
    for name in report.no_turns:
        console.print(
            f"  {name}: no speaker turns found (labels like 'Interviewer:' or 'P07:' at the "
            "start of a line); name its labels with --turn-label"
        )
    if report.skipped:
        console.print(f"skipped {len(report.skipped)} file(s):")
        for source, reason in report.skipped:
            console.print(f"  {source}: {reason}")


def segments_cmd(
    ctx: typer.Context,
    document: Annotated[
        str, typer.Argument(help="A document: its name, its name without extension, or #id.")
    ],
    unit: Annotated[
        str, typer.Option("--unit", "-u", help=f"One of: {', '.join(SEGMENT_UNITS)}.")
    ] = "sentence",
    json_out: JsonOpt = False,
) -> None:
    """List a document's sentences, turns or paragraphs: start, end, speaker and text."""
    with project_from(ctx).session() as s:
        units = list_units(s, document, unit)
    if json_out:
        print_json([u.as_json() for u in units])
        return
    table = Table("start", "end", "speaker", "text")
    for u in units:
        text = " ".join(u.text.split())
        table.add_row(str(u.start), str(u.end), u.speaker or "", text)
    console.print(table)


@document_app.command("rename")
def rename_cmd(
    ctx: typer.Context,
    document: DocumentArg,
    new_name: Annotated[str, typer.Argument(help="The new name (unique in the project).")],
    json_out: JsonOpt = False,
) -> None:
    """Give a document another name. Its text, codings and memos stay."""
    with project_from(ctx).write() as s:
        doc = rename_document(s, document, new_name, actor=actor_from(ctx))
        done = {"id": doc.id, "name": doc.name}
    if json_out:
        print_json(done)
        return
    console.print(f"renamed document {done['id']} to {done['name']}")


@document_app.command("delete")
def delete_cmd(
    ctx: typer.Context,
    document: DocumentArg,
    with_codings: Annotated[
        bool,
        typer.Option(
            "--with-codings", help="Delete it even though it has codings (they go with it)."
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Delete a document with its segments and memos (its codings need --with-codings).

    Each coding removed is written to the audit log, as is the deletion; the transcript can
    then be imported again.
    """
    with project_from(ctx).write() as s:
        gone = delete_document(s, document, actor=actor_from(ctx), with_codings=with_codings)
    if json_out:
        print_json(gone.as_json())
        return
    console.print(
        f"deleted {gone.name} with {gone.codings} coding(s) and {gone.memos} memo(s); "
        "it can be imported again"
    )


@document_app.command("resegment")
def resegment_cmd(
    ctx: typer.Context,
    document: DocumentArg,
    turn_label: TurnLabelOpt = None,
    no_names: NoNamesOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Cut a document's speaker turns, paragraphs and sentences again (text, codings kept).

    Give the labels the import missed with --turn-label.
    """
    rules = TurnRules(extra=list(turn_label or []), allow_names=not no_names)
    with project_from(ctx).write() as s:
        done = resegment_document(s, document, rules, actor=actor_from(ctx))
    if json_out:
        print_json(done.as_json())
        return
    console.print(f"{done.document}: {done.turns} speaker turn(s) (were {done.turns_before})")
