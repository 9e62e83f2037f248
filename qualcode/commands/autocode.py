"""``qualcode autocode``: code every unit holding a search hit, after a preview."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from qualcode.coding.autocode import AutocodeQuery, apply_autocode, preview_autocode
from qualcode.coding.history import History
from qualcode.commands.common import (
    JsonOpt,
    coder_from,
    console,
    print_json,
    project_from,
)

SHOWN = 50


def register(app: typer.Typer) -> None:
    app.command("autocode")(autocode_cmd)


def autocode_cmd(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", "-c", help="The code to apply (path, name, key).")],
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Words or a phrase; whole words, plea* for endings."),
    ] = None,
    regex: Annotated[
        str | None, typer.Option("--regex", "-r", help="A Python regular expression.")
    ] = None,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            "-p",
            help='spaCy Matcher token patterns as JSON, e.g. [{"LOWER": "plea"}].',
        ),
    ] = None,
    speaker: Annotated[
        str | None,
        typer.Option("--speaker", help="Every turn of this speaker, or only hits in their turns."),
    ] = None,
    unit: Annotated[
        str, typer.Option("--unit", "-u", help="sentence, turn, paragraph, or hit.")
    ] = "sentence",
    document: Annotated[
        list[str] | None,
        typer.Option("--document", "-d", help="Only this document (name, stem or #id)."),
    ] = None,
    case_sensitive: Annotated[
        bool, typer.Option("--case-sensitive", help="Match upper/lower case exactly.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would be coded; write nothing.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Find hits, widen each to its sentence/turn, and code them all as ONE change."""
    coder = coder_from(ctx, required=not dry_run)
    project = project_from(ctx)
    query = AutocodeQuery(
        search=search,
        regex=regex,
        pattern=pattern,
        speaker=speaker,
        case_sensitive=case_sensitive,
    )
    with project.session() as s:
        preview = preview_autocode(
            s, query, unit=unit, documents=document or [], code=code, coder=coder
        )
    added: list[int] = []
    if not dry_run:
        assert coder is not None
        added = apply_autocode(History(project, coder), preview)
    if json_out:
        out = preview.as_json()
        if not dry_run:
            out["added"] = len(added)
            out["coding_ids"] = added
        print_json(out)
        return
    table = Table("document", "span", "text", "hits", "coded")
    for item in preview.items[:SHOWN]:
        text = " ".join(item.text.split())
        table.add_row(
            item.document,
            f"{item.start}-{item.end}",
            text if len(text) <= 90 else text[:87] + "...",
            ", ".join(dict.fromkeys(item.hit_texts)),
            "already" if item.already_coded else "",
        )
    if preview.items:
        console.print(table)
    if len(preview.items) > SHOWN:
        console.print(f"... and {len(preview.items) - SHOWN} more (--json lists them all)")
    console.print(
        f"{preview.hits} hit(s) in {preview.documents_searched} document(s): "
        f"{len(preview.items)} {preview.unit}(s), {len(preview.new_items)} not yet coded "
        f"with {preview.code}"
        + (f"; {preview.outside_units} hit(s) outside any {unit}" if preview.outside_units else "")
    )
    if dry_run:
        console.print("dry run: nothing written")
    else:
        console.print(f"{len(added)} coding(s) added as {coder}")
