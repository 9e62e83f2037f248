"""``qualcode saturation``: new codes document by document in interview order, the saturation
ratio after Guest, Namey and Chen (2020) and a band from random orders
(:mod:`qualcode.analysis.saturation`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from qualcode.analysis.saturation import (
    DEFAULT_BASE,
    DEFAULT_PERMUTATIONS,
    DEFAULT_RUN,
    DEFAULT_SEED,
    DEFAULT_THRESHOLD,
    SaturationOptions,
    describe_saturation,
)
from qualcode.analysis.saturation_data import BY_NAME, saturation_report
from qualcode.commands.common import JsonOpt, coder_filter, console, print_json, project_from


def register(app: typer.Typer) -> None:
    app.command("saturation")(saturation)


def saturation(
    ctx: typer.Context,
    order: Annotated[
        str,
        typer.Option("--order", help="Interview order: name, or an attribute (e.g. a date)."),
    ] = BY_NAME,
    by: Annotated[
        str | None, typer.Option("--by", help="Also each group of this attribute.")
    ] = None,
    base: Annotated[int, typer.Option("--base", help="Base size (documents).")] = DEFAULT_BASE,
    run: Annotated[int, typer.Option("--run", help="Run length (documents).")] = DEFAULT_RUN,
    threshold: Annotated[
        float, typer.Option("--threshold", help="New-information threshold (share of the base).")
    ] = DEFAULT_THRESHOLD,
    permutations: Annotated[
        int, typer.Option("--permutations", help="Random orders for the band.")
    ] = DEFAULT_PERMUTATIONS,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random orders.")] = DEFAULT_SEED,
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """New codes per document in interview order, and when saturation is reached.

    Saturation after Guest, Namey & Chen (2020): new codes in a run of --run documents after
    the first --base documents, divided by the base's codes, at most --threshold. The band is
    the 2.5th-97.5th percentile of cumulative codes over --permutations random orders.
    """
    options = SaturationOptions(base, run, threshold, permutations, seed)
    options.check()
    who = coder_filter(ctx, coder)
    by = by.strip() if by and by.strip() else None
    with project_from(ctx).session() as s:
        report = saturation_report(s, coder=who, order=order.strip(), by=by, options=options)
    if json_out:
        print_json(report)
        return
    print_curve(report, title=f"in order of {report['order']}")
    for group in report["groups"] or []:
        print_curve(group, title=f"{report['by']} = {group['group']}")


def print_curve(report: dict[str, Any], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for head in ("#", "document", "participant", "codes", "new", "new pairs", "cumulative"):
        table.add_column(head, justify="left" if head in ("document", "participant") else "right")
    table.add_column("seen", justify="right")
    table.add_column("random orders (2.5-97.5%)", justify="right")
    for row in report["documents"]:
        share = row["share_of_codes"]
        low, high = row["band_low"], row["band_high"]
        table.add_row(
            str(row["position"]),
            row["document"],
            row["participant"] or "-",
            str(row["codes"]),
            str(row["new_codes"]),
            str(row["new_pairs"]),
            str(row["cumulative_codes"]),
            "-" if share is None else f"{share:.0%}",
            "-" if low is None else f"{low:g}-{high:g}",
        )
    console.print(table)
    console.print(describe_saturation(report))
