"""Intercoder agreement: ``qualcode agreement`` (the report) and ``qualcode disagreements``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from qualcode.agreement.bootstrap import DEFAULT_SAMPLES, DEFAULT_SEED
from qualcode.agreement.disagreements import (
    count_by_kind,
    list_disagreements,
    the_two_coders,
)
from qualcode.agreement.project_report import agreement_report
from qualcode.agreement.units import UNIT_KINDS
from qualcode.commands.common import JsonOpt, console, print_json, project_from
from qualcode.errors import QualcodeError

VERDICT_STYLE = {"reliable": "green", "tentative": "yellow", "unreliable": "red"}
KAPPA_LABEL = {"cohen_kappa": "Cohen κ", "fleiss_kappa": "Fleiss κ"}


def register(app: typer.Typer) -> None:
    app.command("agreement")(agreement)
    app.command("disagreements")(disagreements)


def split_list(values: list[str] | None) -> list[str] | None:
    """Comma-separated and/or repeated option values, in order, without blanks."""
    if not values:
        return None
    items = [part.strip() for value in values for part in value.split(",")]
    return [item for item in items if item] or None


def agreement(
    ctx: typer.Context,
    coders: Annotated[
        str | None,
        typer.Option("--coders", help="Coders to compare, a,b,... [default: all with codings]"),
    ] = None,
    unit: Annotated[
        str,
        typer.Option("--unit", help=f"Unit of analysis: {', '.join(UNIT_KINDS)}."),
    ] = "sentence",
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="Overlap needed to match codings (--unit overlap)."),
    ] = 0.9,
    codes: Annotated[
        list[str] | None,
        typer.Option("--codes", help="Codes by path (Parent/Child), comma-separated or repeated."),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", help="Bootstrap samples for alpha's interval.")
    ] = DEFAULT_SAMPLES,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = DEFAULT_SEED,
    json_out: JsonOpt = False,
) -> None:
    """Agreement per code and overall: percent agreement, kappa and alpha with intervals."""
    if samples < 2:
        raise QualcodeError("--samples must be at least 2")
    report = agreement_report(
        project_from(ctx),
        coders=split_list([coders] if coders else None),
        unit=unit,
        threshold=threshold,
        codes=split_list(codes),
        n_boot=samples,
        seed=seed,
    )
    if json_out:
        print_json(report)
    else:
        print_report(report)


def fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "[dim]n/a[/]"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def verdict_cell(verdict: str | None) -> str:
    if verdict is None:
        return "[dim]n/a[/]"
    return f"[{VERDICT_STYLE[verdict]}]{verdict}[/]"


def interval_cell(low: float | None, high: float | None) -> str:
    return "[dim]n/a[/]" if low is None or high is None else f"{low:.3f} – {high:.3f}"


def stat_cells(row: dict[str, Any], kappa: str) -> list[Text]:
    units = row["units"]
    cells = [
        f"{units:,}" if isinstance(units, int) else f"{units:,.1f}",
        fmt(row["percent_agreement"], percent=True),
        fmt(row.get(kappa)),
        interval_cell(row["kappa_low"], row["kappa_high"]),
        fmt(row["krippendorff_alpha"]),
        interval_cell(row["alpha_low"], row["alpha_high"]),
        verdict_cell(row["verdict"]),
    ]
    return [Text.from_markup(c) for c in cells]  # our own markup, no user text


def stats_table(title: str, first: str, kappa: str, ci: float) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    table.add_column("Units", justify="right")
    table.add_column("Agree", justify="right")
    table.add_column(KAPPA_LABEL[kappa], justify="right")
    table.add_column(f"{ci:.0%} CI (κ)", justify="right")
    table.add_column("α", justify="right")
    table.add_column(f"{ci:.0%} CI (α)", justify="right")
    table.add_column("Verdict")
    return table


def print_report(report: dict[str, Any]) -> None:
    kappa, ci = report["kappa"], report["bootstrap"]["ci"]
    unit = report["unit"]
    if unit == "overlap":
        unit += f" ≥ {report['threshold']:.0%}"
    title = f"Agreement by {unit}: {', '.join(report['coders'])}"
    table = stats_table(title, "Code", kappa, ci)
    table.add_column("Codings")
    for row in report["codes"]:
        used = " · ".join(f"{c} {n}" for c, n in row["usage"].items())
        table.add_row(row["code"], *stat_cells(row, kappa), used)
    overall = report["overall"]
    used = " · ".join(f"{c} {n}" for c, n in overall["usage"].items())
    table.add_section()
    table.add_row(Text("overall", style="bold"), *stat_cells(overall, kappa), used)
    if report["unit"] == "overlap":
        table.caption = "Agree = matched codings / all codings; no κ or α at this unit (see n/a)"
    console.print(table)
    if len(report["coders"]) > 2:
        pairs = stats_table("By coder pair", "Coders", "cohen_kappa", ci)
        for row in report["by_pair"]:
            pairs.add_row(" & ".join(row["coders"]), *stat_cells(row, "cohen_kappa"))
        console.print(pairs)
    docs = stats_table("By document", "Document", kappa, ci)
    for row in report["by_document"]:
        if len(row["coders"]) >= 2:
            docs.add_row(row["document"], *stat_cells(row, kappa))
    console.print(docs)
    if report["single_coder_documents"]:
        names = ", ".join(report["single_coder_documents"])
        console.print(
            f"[dim]Coded by one coder only, not compared: {escape(names)}[/]", markup=True
        )
    rows = [*report["codes"], overall, *report["by_pair"]]
    reasons = {reason for row in rows for reason in row["not_computable"].values()}
    for reason in sorted(reasons):
        console.print(f"[dim]n/a: {escape(reason)}[/]", markup=True)


def disagreements(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None,
        typer.Option(
            "--code",
            "-c",
            help="Codes (path, name or key), comma-separated or repeated. [default: every code "
            "either coder used]",
        ),
    ] = None,
    coders: Annotated[
        str | None,
        typer.Option(
            "--coders",
            help="The two coders to compare: a,b. [default: the two coders, when there are two]",
        ),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Overlap that counts as the same span.")
    ] = 1.0,
    json_out: JsonOpt = False,
) -> None:
    """Where two coders disagree on a code: A not B, B not A, different spans."""
    pair = split_list([coders] if coders else None)
    if pair is not None and len(pair) != 2:
        raise QualcodeError("--coders takes exactly two coders: a,b")
    project = project_from(ctx)
    a, b = pair if pair is not None else the_two_coders(project)
    items = list_disagreements(project, split_list(codes), a, b, threshold=threshold)
    if json_out:
        print_json([d.as_json(a, b) for d in items])
        return
    counts = count_by_kind(items)
    named = split_list(codes)
    what = named[0] if named and len(named) == 1 else "all codes" if not named else "codes"
    table = Table(
        title=(
            f"{what}: {a} not {b} {counts['a_not_b']}, {b} not {a} {counts['b_not_a']}, "
            f"different spans {counts['different_spans']}"
        ),
        title_justify="left",
    )
    show_code = len({d.code for d in items}) > 1
    for column in ("Code", "Document", "Kind", a, b, "Text")[0 if show_code else 1 :]:
        table.add_column(column)
    labels = {"a_not_b": f"{a} only", "b_not_a": f"{b} only", "different_spans": "different spans"}
    for d in items:
        spans_a = " ".join(f"{s}–{e}" for s, e in d.spans_a) or "—"
        spans_b = " ".join(f"{s}–{e}" for s, e in d.spans_b) or "—"
        text = d.text if len(d.text) <= 80 else d.text[:77] + "..."
        cells = (d.code, d.document, labels[d.kind], spans_a, spans_b, text.replace("\n", " "))
        table.add_row(*cells[0 if show_code else 1 :])
    console.print(table)
