"""``qualcode merge OTHER_PROJECT``: bring in another copy's coders, codings and memos."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.coding.merge import merge_projects
from qualcode.commands.common import JsonOpt, actor_from, console, print_json, project_from
from qualcode.store.db import mask_password


def register(app: typer.Typer) -> None:
    app.command("merge")(merge)


def merge(
    ctx: typer.Context,
    other: Annotated[str, typer.Argument(help="The other project: a SQLite file or a URL.")],
    json_out: JsonOpt = False,
) -> None:
    """Merge another project's coders, codings and memos (documents matched by content hash,
    codes by path). Safe to run twice; on an error nothing changes."""
    project = project_from(ctx)
    report = merge_projects(project, other, actor=actor_from(ctx))
    if json_out:
        print_json(report.as_json())
        return
    console.print(
        f"merged from {mask_password(other)}: {report.codings_added} coding(s) added, "
        f"{report.codings_already_there} already here, {report.memos_added} memo(s), "
        f"{len(report.codes_added)} new code(s); coders: {', '.join(report.coders) or 'none'}"
    )
    for name, n in report.unmatched_documents:
        console.print(f"  not merged: {n} coding(s) on {name!r}, which this project does not have")
