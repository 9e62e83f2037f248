"""``qualcode suggest``: train the offline code suggester, list, accept and reject its
suggestions; ``qualcode similar``: passages most like a coded one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    coder_from,
    console,
    print_json,
    project_from,
)

if TYPE_CHECKING:
    from qualcode.suggest.train import TrainingReport

suggest_app = typer.Typer(
    help="Offline code suggestions from the team's own codings, with their held-out precision.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(suggest_app, name="suggest")
    app.command("similar")(similar_cmd)


def _figure(value: object) -> str:
    return "-" if value is None else f"{float(str(value)):.2f}"


def print_training(report: TrainingReport) -> None:
    from qualcode.suggest.evaluate import MIN_PREDICTED

    console.print(
        f"model {report.model_id}: learned from {', '.join(report.coders)} "
        f"({report.documents} documents, {report.units} {report.unit}s)"
    )
    console.print(
        "held out, leaving whole documents out (a document is never in its own training):"
    )
    table = Table("code", "precision", "recall", "F1", "support", "proposed", "offered")
    for c in report.codes:
        table.add_row(
            c.code,
            f"{c.precision:.2f}",
            f"{c.recall:.2f}",
            f"{c.f1:.2f}",
            str(c.support),
            str(c.predicted),
            "yes" if c.offered else "",
        )
    console.print(table)
    m = report.micro
    console.print(
        f"micro average: precision {m['precision']:.2f}, recall {m['recall']:.2f}, F1 {m['f1']:.2f}"
    )
    agreement = report.agreement
    humans = agreement["humans"]
    both = agreement["humans_and_suggester"]
    assert isinstance(humans, dict) and isinstance(both, dict)
    console.print(
        f"Krippendorff's alpha over the {agreement['codes']} codes learned: humans "
        f"{_figure(humans['alpha'])}, humans with the suggester {_figure(both['alpha'])}"
    )
    pairs = agreement["suggester_with"]
    assert isinstance(pairs, list)
    for pair in pairs:
        console.print(f"  suggester with {pair['coders'][0]}: {_figure(pair['alpha'])}")
    if report.too_few:
        console.print(
            f"not learned (coded in fewer than 2 documents): {len(report.too_few)} code(s)"
        )
    console.print(
        f"{len(report.offered)} code(s) offered (held-out precision >= {report.min_precision:g} "
        f"over {MIN_PREDICTED} proposals or more); {report.suggestions} suggestion(s) stored"
    )


@suggest_app.command("train")
def train_cmd(
    ctx: typer.Context,
    from_coder: Annotated[
        str | None,
        typer.Option(
            "--from", help="Learn from this coder (default: consensus if any, else every coder)."
        ),
    ] = None,
    unit: Annotated[
        str, typer.Option("--unit", "-u", help="sentence, turn or paragraph.")
    ] = "sentence",
    min_precision: Annotated[
        float,
        typer.Option("--min-precision", help="Offer a code only at this held-out precision."),
    ] = 0.6,
    json_out: JsonOpt = False,
) -> None:
    """Learn per-code models, measure them held out, store the offered codes' suggestions."""
    from qualcode.suggest.train import train_suggester

    project = project_from(ctx)
    report = train_suggester(
        project,
        unit=unit,
        coder=from_coder,
        min_precision=min_precision,
        actor=actor_from(ctx),
    )
    if json_out:
        print_json(report.as_json())
    else:
        print_training(report)


@suggest_app.command("list")
def list_cmd(
    ctx: typer.Context,
    document: Annotated[
        str | None, typer.Option("--document", "-d", help="Only this document.")
    ] = None,
    code: Annotated[str | None, typer.Option("--code", "-c", help="Only this code.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The open suggestions (units not yet coded with the code), by code, best first."""
    from qualcode.suggest.suggestions import list_suggestions

    project = project_from(ctx)
    with project.session() as s:
        rows = list_suggestions(s, document=document, code=code)
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    table = Table("id", "code", "p", "document", "span", "text")
    for r in rows:
        text = " ".join(r.text.split())
        table.add_row(
            str(r.id),
            r.code,
            f"{r.probability:.2f}",
            r.document,
            f"{r.start}-{r.end}",
            text if len(text) <= 80 else text[:77] + "...",
        )
    if rows:
        console.print(table)
    console.print(f"{len(rows)} open suggestion(s)")


@suggest_app.command("accept")
def accept_cmd(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Suggestion ids.")] = None,
    above: Annotated[
        float | None, typer.Option("--above", help="Every open suggestion at this probability.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Code the suggestions as the current coder (one undoable change, audited with the model)."""
    from qualcode.coding.history import History
    from qualcode.suggest.suggestions import accept_edit, chosen

    coder = coder_from(ctx)
    assert coder is not None
    project = project_from(ctx)
    with project.session() as s:
        rows = chosen(s, ids or [], above)
        edit = accept_edit(s, rows)
    added = list(History(project, coder).apply(edit).added) if edit.codings else []
    if json_out:
        print_json({"accepted": len(rows), "coding_ids": added})
    else:
        console.print(f"{len(added)} coding(s) added as {coder}")


@suggest_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(help="Suggestion ids.")],
    json_out: JsonOpt = False,
) -> None:
    """Turn suggestions down: not offered again, and a negative in the next training."""
    from qualcode.suggest.suggestions import chosen, reject_suggestions

    coder = coder_from(ctx)
    assert coder is not None
    project = project_from(ctx)
    with project.write() as s:
        new = reject_suggestions(s, chosen(s, ids), coder)
    if json_out:
        print_json({"rejected": new})
    else:
        console.print(f"{new} suggestion(s) rejected")


def similar_cmd(
    ctx: typer.Context,
    coding_id: Annotated[int, typer.Argument(help="A coding's id (see 'qualcode codings').")],
    unit: Annotated[
        str, typer.Option("--unit", "-u", help="sentence, turn or paragraph.")
    ] = "sentence",
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many passages.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """The passages most like a coded one, leaving out those that already carry its code."""
    from qualcode.suggest.similar import similar_passages

    project = project_from(ctx)
    with project.session() as s:
        result = similar_passages(s, coding_id, unit=unit, limit=limit)
    if json_out:
        print_json(result.as_json())
        return
    table = Table("score", "document", "span", "text")
    for p in result.passages:
        text = " ".join(p.text.split())
        table.add_row(
            f"{p.score:.2f}",
            p.document,
            f"{p.start}-{p.end}",
            text if len(text) <= 90 else text[:87] + "...",
        )
    console.print(f"passages like coding {result.coding_id} ({result.code}), not coded with it:")
    console.print(table)
