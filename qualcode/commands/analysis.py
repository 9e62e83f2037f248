"""``qualcode summary ATTRIBUTE``, ``frequencies``, ``matrix`` and ``cooccurrence``: the tables
of :mod:`qualcode.analysis.tables`, printed or as JSON.

:mod:`qualcode.analysis.tables` (pandas) is imported by the commands that build DataFrames;
``cooccurrence`` prints plain rows and loads no pandas."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from qualcode.analysis.coders import counted_coders
from qualcode.analysis.cooccurrence import COOCCURRENCE_COLUMNS, cooccurrence_rows
from qualcode.analysis.data import find_attribute
from qualcode.analysis.stats import QUARTILE_METHOD
from qualcode.analysis.units import UNIT_KINDS
from qualcode.commands.common import (
    JsonOpt,
    coder_filter,
    console,
    print_json,
    project_from,
)
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    import pandas as pd


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
    app.command("frequencies")(frequencies)
    app.command("matrix")(matrix)
    app.command("cooccurrence")(cooccurrence)


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return str(value)


def _print_frame(frame: pd.DataFrame, title: str | None = None) -> None:
    from qualcode.analysis import tables

    _print_rows([str(c) for c in frame.columns], tables.to_records(frame), title)


def _print_rows(columns: list[str], rows: list[dict[str, Any]], title: str | None) -> None:
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*[_fmt(row[c]) for c in columns])
    console.print(table)


def summary(
    ctx: typer.Context,
    attribute: Annotated[str, typer.Argument(help="A number attribute, e.g. years.")],
    by: Annotated[str | None, typer.Option("--by", help="Group by this attribute.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """n, missing, mean, sd, median, min, max and quartiles of a number attribute."""
    print_summary(ctx, attribute.strip(), by, json_out)


def print_summary(ctx: typer.Context, attribute: str, by: str | None, json_out: bool) -> None:
    """The summary of a number attribute, printed or as JSON (``summary``, ``caseload summary``)."""
    from qualcode.analysis import tables

    by = tables.check_group(by)
    with project_from(ctx).session() as s:
        find_attribute(s, attribute)  # a name the project does not have is an error here
        frame = tables.summary_table(s, attribute, by=by)
    records = tables.to_records(frame)
    if json_out:
        print_json(
            {
                "attribute": attribute,
                "by": by,
                "sd": "sample standard deviation (ddof=1)",
                "quartile_method": QUARTILE_METHOD,
                "overall": records[0],
                "groups": records[1:],
            }
        )
        return
    _print_frame(frame, title=f"{attribute} (sd: sample; quartiles: linear)")


def frequencies(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Group by document, participant, coder or an attribute."),
    ] = None,
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Per code: codings, documents, participants, % of participants and words coded.

    A parent code also gets a row "(+ children)" with all its descendants' codings (documents
    and participants counted once). Words coded: per coder and document, the words in the
    union of that coder's spans (overlapping codings by one coder count a word once), summed.
    % of participants is of all participants in the project (or in the --by group).

    Whose codings: --coder's; else the consensus coder's when there are any; else every
    coder's added up, followed by each coder's (--by coder: every coder apart).
    """
    from qualcode.analysis import tables

    by = tables.check_group(by)
    who = coder_filter(ctx, coder)
    by_coder = None
    with project_from(ctx).session() as s:
        counted = counted_coders(s, who, separately=by == "coder")
        if counted.breakdown and by != "coder":
            rows, by_coder = tables.frequency_records(s, [by, "coder"], coder=who)
        else:
            (rows,) = tables.frequency_records(s, [by], coder=who)
    if json_out:
        print_json({**counted.as_json(), "rows": rows, "by_coder": by_coder})
        return
    _print_frequencies(by, rows, title=f"counted: {counted.describe()}")
    if by_coder is not None:
        _print_frequencies("coder", by_coder, title="by coder")


def _print_frequencies(by: str | None, rows: list[dict[str, Any]], title: str) -> None:
    """A frequency table's rows (:func:`tables.frequency_records`), a rolled-up row's code
    marked "(+ children)"."""
    from qualcode.analysis import tables

    columns = [c for c in tables.frequency_columns(by) if c != "rolled_up"]
    shown = [
        {**row, "code": row["code"] + " (+ children)" if row["rolled_up"] else row["code"]}
        for row in rows
    ]
    _print_rows(columns, shown, title)


def matrix(
    ctx: typer.Context,
    rows: Annotated[str, typer.Option("--rows", help="What the rows are: code.")] = "code",
    cols: Annotated[
        str, typer.Option("--cols", help="participant, or an attribute name.")
    ] = "participant",
    presence: Annotated[
        bool, typer.Option("--presence", help="Count participants coded instead of codings.")
    ] = False,
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Codes by participant or by attribute value: codings, or participants with --presence.

    Whose codings: as for ``frequencies``; when several coders' codings are added up, each
    coder's matrix follows.
    """
    from qualcode.analysis import tables

    if rows.strip().lower() != "code":
        raise QualcodeError("--rows can only be 'code' for now")
    who = coder_filter(ctx, coder)
    with project_from(ctx).session() as s:
        frame = tables.matrix_table(s, cols=cols.strip(), presence=presence, coder=who)
        counted = counted_coders(s, who)
        each = {
            name: tables.matrix_table(s, cols=cols.strip(), presence=presence, coder=name)
            for name in (counted.coders if counted.breakdown else ())
        }
    if json_out:
        print_json(
            {
                **counted.as_json(),
                "rows": "code",
                "cols": cols,
                "measure": "participants" if presence else "codings",
                "columns": [str(c) for c in frame.columns],
                "data": _matrix_rows(frame),
                "by_coder": {name: _matrix_rows(m) for name, m in each.items()} if each else None,
            }
        )
        return
    console.print(f"counted: {counted.describe()}")
    _print_matrix(frame)
    for name, m in each.items():
        console.print(f"{name}:")
        _print_matrix(m)


def _matrix_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"code": str(code), "values": [int(v) for v in values]}
        for code, values in zip(frame.index, frame.to_numpy(), strict=True)
    ]


def _print_matrix(frame: pd.DataFrame) -> None:
    """Codes as rows; when the paths make the table too wide, number them with a legend."""
    columns = [str(c) for c in frame.columns]

    def build(labels: list[str], head: str) -> Table:
        table = Table(head, *columns)
        table.columns[0].no_wrap = True
        for column in table.columns[1:]:
            column.justify = "right"
        for label, values in zip(labels, frame.to_numpy(), strict=True):
            table.add_row(label, *[str(int(v)) for v in values])
        return table

    paths = [str(c) for c in frame.index]
    cells = [max([len(c), *(len(str(int(v))) for v in frame[c])]) for c in frame.columns]
    needed = max([4, *(len(p) for p in paths)]) + sum(cells) + 3 * len(columns) + 4
    if needed <= console.width:
        console.print(build(paths, "code"))
        return
    numbers = [str(i) for i in range(1, len(paths) + 1)]
    console.print(build(numbers, "#"))
    for number, path in zip(numbers, paths, strict=True):
        console.print(f"{number:>3}  {path}", soft_wrap=True)


def cooccurrence(
    ctx: typer.Context,
    unit: Annotated[
        str, typer.Option("--unit", help=f"One of: {', '.join(UNIT_KINDS)}.")
    ] = "overlap",
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's codings.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Pairs of codes whose codings overlap, or that occur in the same unit.

    Whose codings: as for ``frequencies`` (a pair is always one coder's two codings)."""
    who = coder_filter(ctx, coder)
    with project_from(ctx).session() as s:
        pairs = [
            dict(zip(COOCCURRENCE_COLUMNS, row, strict=True))
            for row in cooccurrence_rows(s, unit, who)
        ]
        counted = counted_coders(s, who)
    if json_out:
        print_json({**counted.as_json(), "pairs": pairs})
        return
    _print_rows(COOCCURRENCE_COLUMNS, pairs, title=f"counted: {counted.describe()}")
