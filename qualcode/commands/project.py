"""Project-level commands: init, demo, documents, participants, and opening the TUI."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.commands.common import (
    JsonOpt,
    console,
    err_console,
    open_for_work,
    print_json,
    project_from,
    state,
)
from qualcode.store.db import Project, open_project
from qualcode.store.settings import PROJECT_NAME, set_setting


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("documents")(documents)
    app.command("participants")(participants)
    app.command("tui")(tui)


def init(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="A name for the project.")] = None,
) -> None:
    """Create a new, empty project (SQLite file or database URL); an existing project is
    refused."""
    project = open_project(state(ctx).project, create=True, exist_ok=False)
    with project.write() as s:
        if name:
            set_setting(s, PROJECT_NAME, name)
    console.print(f"project ready: {project.display_name}")


def demo(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Build the demo project (24 fictional prosecutor interviews). Safe to run again.

    It goes to exports/demo.qualcode.db, or to --project when that is new, empty or a demo
    (QUALCODE_PROJECT is not used); a project holding anything else is refused."""
    from rich.progress import Progress

    from qualcode import demo as demo_module
    from qualcode.demo import build_demo

    # only --project names the demo's project: QUALCODE_PROJECT names the user's study
    explicit = ctx.find_root().params.get("project")
    target = str(explicit) if explicit else str(demo_module.DEFAULT_DEMO_PROJECT)
    if not explicit and state(ctx).project:
        err_console.print(
            "QUALCODE_PROJECT is not used by 'qualcode demo', which builds its own project "
            f"({target}); give --project to build it elsewhere",
            markup=False,
        )
    project = open_for_work(target, create=True)
    with Progress(console=err_console, transient=True, disable=json_out) as bar:
        task = bar.add_task("importing transcripts", total=None)

        def step(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"importing {name}")

        report = build_demo(project, progress=step)
    if json_out:
        print_json({"project": project.display_name, **report.as_json()})
        return
    console.print(
        f"demo project ready: {project.display_name}\n"
        f"  {len(report.imported)} transcript(s) imported, {report.codes_added} code(s) added, "
        f"{report.participants} participant(s), {report.codings_added} coding(s) added"
    )


def documents(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List the documents with participant, length, codings and share of text coded."""
    from qualcode.analysis.coverage import document_overview

    project = project_from(ctx)
    with project.session() as s:
        rows = document_overview(s)
    if json_out:
        print_json(rows)
        return
    table = Table("document", "participant", "format", "characters", "turns", "codings", "coded")
    for r in rows:
        table.add_row(
            str(r["document"]),
            str(r["participant"] or ""),
            str(r["format"]),
            f"{r['characters']:,}",
            str(r["turns"]),
            str(r["codings"]),
            f"{r['coded_share']:.0%}",
        )
    console.print(table)
    console.print(f"{len(rows)} document(s)")


def participants(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List participants with their attributes and documents."""
    from qualcode.coding.participants import attribute_text, participant_overview

    project = project_from(ctx)
    with project.session() as s:
        names, rows = participant_overview(s)
    if json_out:
        print_json(
            [
                {"participant": r.label, "documents": r.documents, "attributes": r.attributes}
                for r in rows
            ]
        )
        return
    table = Table("participant", "documents", *names)
    for r in rows:
        table.add_row(
            r.label,
            ", ".join(r.documents),
            *[attribute_text(r.attributes.get(name)) for name in names],
        )
    console.print(table)


def tui(ctx: typer.Context) -> None:
    """Open the terminal coding workbench on the project."""
    open_tui(ctx)


def open_tui(ctx: typer.Context) -> None:
    project = project_from(ctx)
    try:
        from qualcode.tui.app import run_app
    except ImportError:
        _print_overview(project)
        return
    from qualcode.commands.common import coder_from

    run_app(project, coder=coder_from(ctx, required=False))


def _print_overview(project: Project) -> None:
    """What the workbench would open on, for an installation without Textual."""
    from qualcode.analysis.coverage import project_counts

    with project.session() as s:
        counts = project_counts(s)
    console.print(
        f"[bold]{escape(counts.name or 'qualcode project')}[/] "
        f"({escape(project.display_name)})\n"
        f"{counts.documents} documents, {counts.participants} participants, "
        f"{counts.codings} codings",
        markup=True,
    )
