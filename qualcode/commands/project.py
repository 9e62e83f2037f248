"""Project-level commands: init, demo, documents, participants, and opening the TUI."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, select

from qualcode.commands.common import (
    JsonOpt,
    console,
    err_console,
    open_for_work,
    print_json,
    project_from,
    state,
)
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Coding,
    Document,
    Participant,
    Setting,
)


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
    """Create a new, empty project (SQLite file or database URL)."""
    project = project_from(ctx, create=True)
    with project.write() as s:
        if name:
            setting = s.get(Setting, "project_name")
            if setting is None:
                s.add(Setting(key="project_name", value=name))
            else:
                setting.value = name
    console.print(f"project ready: {project.display_name}")


def demo(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Build the demo project (24 fictional prosecutor interviews). Safe to run again."""
    from rich.progress import Progress

    from qualcode.demo import DEFAULT_DEMO_PROJECT, build_demo

    target = state(ctx).project or str(DEFAULT_DEMO_PROJECT)
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
    project = project_from(ctx)
    with project.session() as s:
        attrs = s.scalars(select(Attribute).order_by(Attribute.name)).all()
        rows = []
        for p in s.scalars(select(Participant).order_by(Participant.label)).all():
            values = {
                v.attribute.name: v.value
                for v in s.scalars(
                    select(AttributeValue).where(AttributeValue.participant_id == p.id)
                ).all()
            }
            docs = s.scalars(
                select(Document.name).where(Document.participant_id == p.id).order_by(Document.name)
            ).all()
            rows.append({"participant": p.label, "documents": list(docs), "attributes": values})
    if json_out:
        print_json(rows)
        return
    table = Table("participant", "documents", *[a.name for a in attrs])
    for r in rows:
        values = r["attributes"]
        assert isinstance(values, dict)
        table.add_row(
            str(r["participant"]),
            ", ".join(r["documents"]),  # type: ignore[arg-type]
            *[_fmt(values.get(a.name)) for a in attrs],
        )
    console.print(table)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tui(ctx: typer.Context) -> None:
    """Open the terminal coding workbench on the project."""
    open_tui(ctx)


def open_tui(ctx: typer.Context) -> None:
    try:
        from qualcode.tui.app import run_app
    except ImportError:
        run_app = None
    project = project_from(ctx)
    if run_app is None:
        _print_overview(project)
        return
    from qualcode.commands.common import coder_from

    run_app(project, coder=coder_from(ctx, required=False))


def _print_overview(project: object) -> None:
    from qualcode.store import Project

    assert isinstance(project, Project)
    with project.session() as s:
        n_docs = s.scalar(select(func.count()).select_from(Document)) or 0
        n_codings = s.scalar(select(func.count()).select_from(Coding)) or 0
        n_part = s.scalar(select(func.count()).select_from(Participant)) or 0
        name = s.get(Setting, "project_name")
    console.print(
        f"[bold]{escape(name.value) if name else 'qualcode project'}[/] "
        f"({escape(project.display_name)})\n"
        f"{n_docs} documents, {n_part} participants, {n_codings} codings",
        markup=True,
    )
