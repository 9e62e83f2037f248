"""``qualcode adjudicate``: list, settle and reopen two coders' disagreements into "consensus"."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from qualcode.agreement.adjudicate import CONSENSUS, MATCHING_UNITS, Item, Review, load_reviews
from qualcode.agreement.consensus import (
    Receipt,
    accept_agreements,
    normalize_choice,
    reopen,
    settle,
)
from qualcode.commands.agreement import split_list
from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    console,
    print_json,
    project_from,
)
from qualcode.errors import QualcodeError

KIND_LABELS = {"a_not_b": "{a} only", "b_not_a": "{b} only", "different_spans": "different spans"}


def register(app: typer.Typer) -> None:
    app.command("adjudicate")(adjudicate)


def adjudicate(
    ctx: typer.Context,
    coders: Annotated[str, typer.Option("--coders", help="The two coders compared: a,b.")],
    code: Annotated[
        str | None,
        typer.Option("--code", "-c", help="The code (path, name or key). Without: every code."),
    ] = None,
    unit: Annotated[
        str,
        typer.Option("--unit", help=f"What counts as agreeing: {', '.join(MATCHING_UNITS)}."),
    ] = "sentence",
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Overlap that counts as the same span (--unit overlap)."),
    ] = None,
    list_items: Annotated[
        bool, typer.Option("--list", help="List the disagreements, settled and open (default).")
    ] = False,
    keep: Annotated[
        str | None,
        typer.Option("--keep", help="Settle --item: keep a, b (or a coder's name), both or drop."),
    ] = None,
    item: Annotated[
        str | None, typer.Option("--item", help="Item number(s) from --list: N or N,M,...")
    ] = None,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept-agreements", help="Copy the passages both coded alike to consensus."
        ),
    ] = False,
    reopen_item: Annotated[
        str | None, typer.Option("--reopen", help="Undo the decision on item(s) N or N,M,...")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Settle two coders' disagreements on a code into the coder "consensus", with a memo."""
    pair = split_list([coders]) or []
    if len(pair) != 2:
        raise QualcodeError("--coders takes exactly two coders: a,b")
    actions = [bool(keep), accept, bool(reopen_item), list_items]
    if sum(actions) > 1:
        raise QualcodeError("choose one of --list, --keep, --accept-agreements, --reopen")
    if item and not keep:
        raise QualcodeError("--item goes with --keep (which version to keep)")
    if keep and not item:
        raise QualcodeError("say which disagreement to settle with --item N (see --list)")
    if code is None and any(actions[:3]):
        raise QualcodeError("say which code with --code")
    project = project_from(ctx)
    codes = [code] if code else None
    reviews = load_reviews(project, pair[0], pair[1], codes=codes, unit=unit, threshold=threshold)
    if code is None:
        show_progress(reviews, json_out)
        return
    review = reviews[0]
    actor = actor_from(ctx)
    if keep:
        choice = normalize_choice(keep, review.coder_a, review.coder_b)
        numbers = item_numbers(item or "", review)
        receipts = [settle(project, review, n, choice, decided_by=actor) for n in numbers]
        kept = {"a": f"kept {pair[0]}'s version", "b": f"kept {pair[1]}'s version"}
        what = kept.get(choice, "kept both versions" if choice == "both" else "dropped")
        report_changes(review, numbers, receipts, json_out, what, choice)
    elif reopen_item:
        numbers = item_numbers(reopen_item, review)
        receipts = [reopen(project, review, n, actor=actor) for n in numbers]
        report_changes(review, numbers, receipts, json_out, "reopened", "reopen")
    elif accept:
        receipt = accept_agreements(project, review, decided_by=actor)
        if json_out:
            print_json({"code": review.code, **receipt_json(receipt)})
        else:
            console.print(
                f"{len(receipt.added)} agreed passage(s) of {review.code} copied to {CONSENSUS}"
                f" ({len(review.agreements)} agreed in all)."
            )
    else:
        show_review(review, json_out)


def item_numbers(text: str, review: Review) -> list[int]:
    numbers = []
    for part in split_list([text]) or []:
        if not part.isdigit():
            raise QualcodeError(f"item numbers are whole numbers from --list, not {part!r}")
        review.item(int(part))  # says which numbers exist
        numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "changed": receipt.changed,
        "added": [[c.document_id, c.start, c.end] for c in receipt.added],
        "removed": [[c.document_id, c.start, c.end] for c in receipt.removed],
        "memos_added": list(receipt.memos_added),
        "memos_removed": len(receipt.memos_removed),
    }


def report_changes(
    review: Review,
    numbers: list[int],
    receipts: list[Receipt],
    json_out: bool,
    what: str,
    action: str,
) -> None:
    if json_out:
        print_json(
            [
                {"item": n, "code": review.code, "action": action, **receipt_json(r)}
                for n, r in zip(numbers, receipts, strict=True)
            ]
        )
        return
    for number, receipt in zip(numbers, receipts, strict=True):
        p = review.item(number).passage
        where = f"item {number} ({p.document} {p.start}-{p.end})"
        if not receipt.changed:
            console.print(f"{where}: already so, nothing changed.")
            continue
        kept = ", ".join(f"{c.start}-{c.end}" for c in receipt.added) or "nothing"
        console.print(f"{where}: {what}; {CONSENSUS} codes {kept}.")


def decision_text(item: Item, review: Review) -> Text:
    d = item.decision
    if d is None:
        return Text("open", style="yellow")
    label = {"a": review.coder_a, "b": review.coder_b, "both": "both", "drop": "dropped"}
    return Text.assemble((label[d.choice], "green"), " ", (f"({d.decided_by})", "dim"))


def show_review(review: Review, json_out: bool) -> None:
    if json_out:
        print_json(review.as_json())
        return
    a, b = review.coder_a, review.coder_b
    table = Table(
        title=(
            f"{review.code}: {a} vs {b} by {review.unit} · {len(review.items)} disagreement(s), "
            f"{review.settled} settled, {review.open} open · {len(review.agreements)} agreed "
            f"({review.agreements_in_consensus} in {CONSENSUS})"
        ),
        title_justify="left",
    )
    for column in ("#", "Document", "Kind", a, b, "Decision", "Text"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for it in review.items:
        p = it.passage
        text = " ".join(it.text.split())
        table.add_row(
            str(it.number),
            p.document,
            KIND_LABELS[p.kind].format(a=a, b=b),
            " ".join(f"{s}–{e}" for s, e in p.spans_a) or "—",
            " ".join(f"{s}–{e}" for s, e in p.spans_b) or "—",
            decision_text(it, review),
            text if len(text) <= 60 else text[:57] + "...",
        )
    console.print(table)


def show_progress(reviews: list[Review], json_out: bool) -> None:
    rows: list[dict[str, Any]] = [
        {
            "code": r.code,
            "disagreements": len(r.items),
            "settled": r.settled,
            "open": r.open,
            "agreements": len(r.agreements),
            "agreements_in_consensus": r.agreements_in_consensus,
        }
        for r in reviews
    ]
    if json_out:
        print_json(rows)
        return
    first = reviews[0] if reviews else None
    title = f"Settling {first.coder_a} vs {first.coder_b} by {first.unit}" if first else ""
    table = Table(title=title, title_justify="left")
    table.add_column("Code")
    for column in ("Disagreements", "Settled", "Open", "Agreed", f"Agreed in {CONSENSUS}"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row["code"],
            str(row["disagreements"]),
            str(row["settled"]),
            Text(str(row["open"]), style="yellow") if row["open"] else "0",
            str(row["agreements"]),
            str(row["agreements_in_consensus"]),
        )
    total = sum(r["disagreements"] for r in rows)
    settled = sum(r["settled"] for r in rows)
    table.caption = f"{settled} of {total} disagreement(s) settled"
    console.print(table)
