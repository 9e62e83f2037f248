"""``qualcode pseudonyms scan|list|accept|reject|add|edit|export-key|risk``: the pseudonym list
behind share packages (``qualcode export qdpx|xlsx|csv --pseudonymised``).

The options every share export takes (``--pseudonymised``, ``--generalise``, ``--quasi``,
``--k``) and the function that runs an exporter through the share package are here too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    console,
    err_console,
    print_json,
    project_from,
)

if TYPE_CHECKING:
    from qualcode.pseudonyms.risk import RiskOptions
    from qualcode.pseudonyms.share import SharePackage
    from qualcode.store.db import Project

T = TypeVar("T")

pseudonyms_app = typer.Typer(
    help="Pseudonyms for share packages: scan, review (list, accept, reject, add, edit), "
    "export the key, and the residual risk.",
    no_args_is_help=True,
)

RefsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Pseudonyms by id, by pseudonym ('[Judge 1]') or by one of their forms."),
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="Only candidate, accepted or rejected ones.")
]
CategoryOpt = Annotated[
    str | None,
    typer.Option(
        "--category",
        help="person, place, organisation, case number, date, phone, email, address or "
        "other identifier.",
    ),
]
QuasiOpt = Annotated[
    str | None,
    typer.Option(
        "--quasi", help="Quasi-identifiers: participant attributes, comma-separated (state,...)."
    ),
]
KOpt = Annotated[int, typer.Option("--k", help="The smallest group size wanted (k-anonymity).")]
PseudonymisedOpt = Annotated[
    bool,
    typer.Option(
        "--pseudonymised",
        "--pseudonymized",
        help="A share package: accepted identifiers replaced by their pseudonyms, codings "
        "moved with them, a README with the residual risk beside it; refused if any original "
        "is left.",
    ),
]
GeneraliseOpt = Annotated[
    str | None,
    typer.Option(
        "--generalise",
        "--generalize",
        help="With --pseudonymised: generalise attributes, e.g. "
        "'years_experience=band:10,state=region' (band:N, region, year, suppress).",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(pseudonyms_app, name="pseudonyms")


def _risk_options(quasi: str | None, k: int) -> RiskOptions:
    from qualcode.pseudonyms.risk import RiskOptions

    names = tuple(q.strip() for q in (quasi or "").split(",") if q.strip())
    return RiskOptions(names, k)


def share_export(
    ctx: typer.Context,
    out: Path,
    write: Callable[[Project, Path], T],
    *,
    folder: bool = False,
    generalise: str | None,
    quasi: str | None,
    k: int,
) -> SharePackage[T]:
    """Run ``write`` through a share package (see :mod:`qualcode.pseudonyms.share`) and say
    where its README went."""
    from qualcode.pseudonyms.generalise import Generalisation
    from qualcode.pseudonyms.share import share_package

    general = Generalisation.parse(generalise) if generalise else None
    package = share_package(
        project_from(ctx),
        out,
        write,
        folder=folder,
        generalise=general,
        risk=_risk_options(quasi, k),
    )
    err_console.print(
        f"pseudonymised share package; residual risk in {package.readme}", markup=False
    )
    waiting = sum(package.risk.unreviewed.values())
    if waiting:
        err_console.print(
            f"note: {waiting} identifier(s) still unreviewed were left as they are "
            "('qualcode pseudonyms list --status candidate')",
            markup=False,
        )
    return package


@pseudonyms_app.command("scan")
def scan_cmd(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Propose identifiers found in every document, memo, attribute value and speaker label,
    each with a category and a pseudonym that is the same across the project."""
    from qualcode.pseudonyms.scan import scan_project

    with project_from(ctx).write() as s:
        report = scan_project(s, actor=actor_from(ctx))
    if json_out:
        print_json(report.as_json())
        return
    new = ", ".join(f"{n} {c}" for c, n in sorted(report.new.items())) or "none"
    console.print(f"scanned {report.texts} text(s): new identifiers: {new}")
    console.print(
        f"{report.new_forms} new form(s); {report.candidates} candidate(s) to review "
        "('qualcode pseudonyms list --status candidate')"
    )


@pseudonyms_app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: StatusOpt = None,
    category: CategoryOpt = None,
    context: Annotated[
        int, typer.Option("--context", help="Show up to N occurrences of each in context.")
    ] = 0,
    json_out: JsonOpt = False,
) -> None:
    """The pseudonym list: pseudonym, category, status, occurrences and forms."""
    from qualcode.pseudonyms.review import list_pseudonyms

    with project_from(ctx).session() as s:
        rows = list_pseudonyms(s, status=status, category=category, contexts=max(context, 0))
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        console.print("no pseudonyms (run 'qualcode pseudonyms scan')")
        return
    for r in rows:
        forms = " | ".join(r.forms)
        console.print(
            f"{r.id:>4}  {r.pseudonym:<18} {r.category:<16} {r.status:<9} "
            f"{r.occurrences:>4}x  {forms}",
            markup=False,
            soft_wrap=True,
        )
        for c in r.contexts:
            console.print(
                f"        {c.where}: …{c.before}«{c.match}»{c.after}…",
                markup=False,
                soft_wrap=True,
            )


def _set_status(ctx: typer.Context, refs: list[str] | None, status: str, every: bool) -> None:
    from qualcode.pseudonyms.review import set_status

    with project_from(ctx).write() as s:
        done = set_status(s, refs or [], status, actor=actor_from(ctx), every=every)
    console.print(f"{status}: {len(done)} pseudonym(s)")


@pseudonyms_app.command("accept")
def accept_cmd(
    ctx: typer.Context,
    refs: RefsArg = None,
    every: Annotated[bool, typer.Option("--all", help="Accept every candidate.")] = False,
) -> None:
    """Accept identifiers: their forms are replaced in share packages."""
    _set_status(ctx, refs, "accepted", every)


@pseudonyms_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    refs: RefsArg = None,
    every: Annotated[bool, typer.Option("--all", help="Reject every candidate.")] = False,
) -> None:
    """Reject candidates that identify no one: they stay as they are (and are not proposed
    again)."""
    _set_status(ctx, refs, "rejected", every)


@pseudonyms_app.command("add")
def add_cmd(
    ctx: typer.Context,
    form: Annotated[str, typer.Argument(help="The original text, e.g. 'Greg Petrakis'.")],
    pseudonym: Annotated[
        str | None,
        typer.Option("--as", help="Its pseudonym, e.g. '[Colleague 4]' (made if new)."),
    ] = None,
    category: Annotated[str, typer.Option("--category")] = "person",
) -> None:
    """Add an identifier by hand (accepted), or another form of a pseudonym (--as)."""
    from qualcode.pseudonyms.review import add_form

    with project_from(ctx).write() as s:
        p = add_form(s, form, actor=actor_from(ctx), pseudonym=pseudonym, category=category)
        label = p.pseudonym
    console.print(f"added: {form} -> {label}", markup=False)


@pseudonyms_app.command("edit")
def edit_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The pseudonym: id, '[Judge 1]' or one of its forms.")],
    pseudonym: Annotated[str | None, typer.Option("--as", help="A new pseudonym.")] = None,
    category: CategoryOpt = None,
    forms: Annotated[
        list[str] | None,
        typer.Option("--form", help="Add a form (a form of another pseudonym moves here)."),
    ] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop-form", help="Remove a form.")] = None,
) -> None:
    """Change a pseudonym, its category or its forms."""
    from qualcode.pseudonyms.review import edit_pseudonym

    with project_from(ctx).write() as s:
        p = edit_pseudonym(
            s,
            ref,
            actor=actor_from(ctx),
            pseudonym=pseudonym,
            category=category,
            add_forms=forms or [],
            remove_forms=drop or [],
        )
        line = f"{p.pseudonym} ({p.category}, {p.status}): {' | '.join(f.form for f in p.forms)}"
    console.print(line, markup=False)


@pseudonyms_app.command("export-key")
def export_key_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The key file to write (CSV, owner-only).")],
) -> None:
    """Write the key (pseudonym, category, original) of the accepted identifiers to a file of
    its own. Keep it apart from any share package."""
    from qualcode.pseudonyms.review import export_key

    with project_from(ctx).write() as s:
        n = export_key(s, out, actor=actor_from(ctx))
    console.print(f"key written to {out}: {n} form(s); keep it apart from the share package")


@pseudonyms_app.command("risk")
def risk_cmd(
    ctx: typer.Context,
    quasi: QuasiOpt = None,
    k: KOpt = 3,
    json_out: JsonOpt = False,
) -> None:
    """Residual risk: k-anonymity of the participant table, groups smaller than k,
    generalisations that reach k, candidates unreviewed, numbers and dates left in the text."""
    from qualcode.pseudonyms.risk import residual_risk

    report = residual_risk(project_from(ctx), _risk_options(quasi, k))
    if json_out:
        print_json(report.as_json())
        return
    for line in report.lines():
        console.print(line, markup=False, soft_wrap=True)
