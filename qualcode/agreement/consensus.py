"""Settling disagreements into the codings of the coder "consensus", undoably.

Each disagreement of a review (adjudicate.py) is settled one of four ways: keep A's spans,
keep B's, keep both (their union) or drop it. The kept spans become codings of the coder
``consensus`` (created if needed), with a memo on the first of them recording the decision
(who decided, when, both coders' versions, what was kept); when nothing is kept, a project memo
naming the document, code and spans records it. Settling replaces whatever consensus had coded
with the code on the passage: settling twice the same way changes nothing, settling another way
replaces the earlier decision. Every change returns a :class:`Receipt`; :func:`undo` reverts
it and returns the receipt that redoes it. :func:`accept_agreements` copies the passages where
the coders agree to consensus in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualcode.agreement.adjudicate import (
    CONSENSUS,
    Item,
    Passage,
    Review,
    decision_of,
    decision_records,
    passage_key,
)
from qualcode.analysis.spans import Span
from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codings import CodingSpec, coding_ids, delete_codings, insert_codings, specs_of
from qualcode.errors import QualcodeError
from qualcode.store import Coder, Coding, Document, Memo, Project
from qualcode.store.audit import audit
from qualcode.store.models import utcnow

CHOICES = ("a", "b", "both", "drop")


@dataclass(frozen=True)
class MemoDraft:
    """A memo to (re)create; ``coding`` names the coding it is on by what the coding is."""

    title: str
    body: str
    coder_id: int | None
    document_id: int | None = None
    code_id: int | None = None
    coding: CodingSpec | None = None
    created_at: Any = None
    decision: dict[str, Any] | None = None  # Memo.decision


@dataclass(frozen=True)
class Receipt:
    """What one change did, enough to revert it with :func:`undo`."""

    label: str
    added: tuple[CodingSpec, ...] = ()
    removed: tuple[CodingSpec, ...] = ()
    memos_added: tuple[int, ...] = ()
    memos_removed: tuple[MemoDraft, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.memos_added or self.memos_removed)

    @property
    def document_ids(self) -> frozenset[int]:
        return frozenset(c.document_id for c in (*self.added, *self.removed))


def _apply(
    s: Session,
    actor: str,
    label: str,
    remove: Sequence[CodingSpec] = (),
    add: Sequence[CodingSpec] = (),
    drop_memos: Sequence[int] = (),
    new_memos: Sequence[MemoDraft] = (),
) -> Receipt:
    """Remove codings (their memos go with them) and memos, then add; say what happened."""
    remove_ids = [i for i in coding_ids(s, list(remove)) if i is not None]
    loose = s.scalars(
        select(Memo).where(
            Memo.id.in_(list(drop_memos)),
            or_(Memo.coding_id.is_(None), Memo.coding_id.not_in(remove_ids)),
        )
    ).all()
    on_codings = specs_of(s, [m.coding_id for m in loose if m.coding_id is not None])
    saved = []
    for memo in loose:
        on = on_codings.get(memo.coding_id) if memo.coding_id is not None else None
        saved.append(
            MemoDraft(
                memo.title,
                memo.body,
                memo.coder_id,
                memo.document_id,
                memo.code_id,
                on,
                memo.created_at,
                memo.decision,
            )
        )
        audit(s, actor, "remove", "memo", memo.id, body=memo.body)
        s.delete(memo)
    s.flush()
    removed = list(delete_codings(s, remove_ids, actor, via="adjudication").values())
    specs = list(add)
    ids, new_ids = insert_codings(s, specs, actor, via="adjudication")
    fresh = set(new_ids)
    added = [spec for spec, i in zip(specs, ids, strict=True) if i in fresh]
    memo_ids = []
    for draft in new_memos:
        on_id = coding_ids(s, [draft.coding])[0] if draft.coding is not None else None
        memo = Memo(
            title=draft.title,
            body=draft.body,
            coder_id=draft.coder_id,
            document_id=draft.document_id,
            code_id=draft.code_id,
            coding_id=on_id,
            decision=draft.decision,
        )
        if draft.created_at is not None:
            memo.created_at = draft.created_at
        s.add(memo)
        s.flush()
        audit(s, actor, "add", "memo", memo.id, body=memo.body)
        memo_ids.append(memo.id)
    return Receipt(label, tuple(added), tuple(removed), tuple(memo_ids), tuple(saved))


def undo(project: Project, receipt: Receipt, *, actor: str) -> Receipt:
    """Revert a change; returns the receipt that puts it back (redo)."""
    with project.write() as s:
        return _apply(
            s,
            actor,
            receipt.label,
            remove=receipt.added,
            add=receipt.removed,
            drop_memos=receipt.memos_added,
            new_memos=receipt.memos_removed,
        )


def normalize_choice(choice: str, coder_a: str, coder_b: str) -> str:
    """a, b, both or drop; a coder's name stands for their letter."""
    value = choice.strip()
    named = {coder_a: "a", coder_b: "b", "neither": "drop", "none": "drop"}
    value = named.get(value, value.lower())
    if value not in CHOICES:
        raise QualcodeError(
            f"keep a, b, both or drop (or a coder's name: {coder_a}, {coder_b}), not {choice!r}"
        )
    return value


def _overlapping_state(
    s: Session, review: Review, passage: Passage
) -> tuple[list[Coding], list[tuple[int, dict[str, Any]]]]:
    """Consensus codings of the code on the passage, and decision memos about it."""
    codings = s.scalars(
        select(Coding)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(
            Coder.name == CONSENSUS,
            Coding.document_id == passage.document_id,
            Coding.code_id == review.code_id,
            Coding.start < passage.end,
            Coding.end > passage.start,
        )
    ).all()
    records = [
        (i, r)
        for i, r in decision_records(s)
        if r["document_id"] == passage.document_id
        and r["code_id"] == review.code_id
        and set(r["spans"]) == {review.coder_a, review.coder_b}
        and r["start"] < passage.end
        and passage.start < r["end"]
    ]
    return list(codings), records


def _span_text(spans: Sequence[Span]) -> str:
    return ", ".join(f"{s}-{e}" for s, e in spans) or "nothing"


def _memo(
    review: Review, item: Item, choice: str, decided_by: str, at: str
) -> tuple[str, str, dict[str, Any]]:
    """The decision memo: its title, its body (words) and the decision (data)."""
    p, a, b = item.passage, review.coder_a, review.coder_b
    kept = p.kept(choice)
    verdicts = {
        "a": f"keep {a}'s version",
        "b": f"keep {b}'s version",
        "both": "keep both versions (everything either coded)",
        "drop": "drop it (code neither version)",
    }
    kept_from = {"a": [a], "b": [b], "both": [a, b], "drop": []}[choice]
    record = {
        "document_id": p.document_id,
        "document": p.document,
        "code_id": review.code_id,
        "code": review.code,
        "start": p.start,
        "end": p.end,
        "spans": {a: [list(x) for x in p.spans_a], b: [list(x) for x in p.spans_b]},
        "kept_from": kept_from,
        "kept": [list(x) for x in kept],
        "by": decided_by,
        "at": at,
    }
    title = f"Consensus on {review.code}: {p.document} {p.start}-{p.end}"
    quote = " ".join(item.text.split())
    body = "\n".join(
        [
            f"Decision: {verdicts[choice]}.",
            f"Decided by {decided_by} on {at} UTC, comparing {a} and {b} ({p.kind}).",
            f"{a} coded: {_span_text(p.spans_a)}.",
            f"{b} coded: {_span_text(p.spans_b)}.",
            f"Consensus codes: {_span_text(kept)}.",
            f'Passage in {p.document}: "{quote[:300]}{"..." if len(quote) > 300 else ""}"',
        ]
    )
    return title[:255], body, record


def settle(
    project: Project, review: Review, number: int, choice: str, *, decided_by: str
) -> Receipt:
    """Settle item ``number``: keep a, b, both or drop (see the module docstring)."""
    item = review.item(number)
    choice = normalize_choice(choice, review.coder_a, review.coder_b)
    p = item.passage
    kept = p.kept(choice)
    label = f"settle {review.code} #{number}: {choice}"
    at = utcnow().isoformat(timespec="seconds")
    with project.write() as s:
        consensus_id = get_or_create_coder(s, CONSENSUS).id
        decider_id = get_or_create_coder(s, decided_by).id
        codings, records = _overlapping_state(s, review, p)
        key = passage_key(
            p.document_id, review.code_id, {review.coder_a: p.spans_a, review.coder_b: p.spans_b}
        )
        same = [
            (i, r)
            for i, r in records
            if passage_key(r["document_id"], r["code_id"], r["spans"]) == key
            and decision_of(i, r, review.coder_a, review.coder_b).choice == choice
        ]
        if len(records) == len(same) == 1 and {(c.start, c.end) for c in codings} == set(kept):
            return Receipt(label)
        add = [CodingSpec(p.document_id, review.code_id, consensus_id, st, en) for st, en in kept]
        title, body, record = _memo(review, item, choice, decided_by, at)
        draft = MemoDraft(title, body, decider_id, coding=add[0] if add else None, decision=record)
        receipt = _apply(
            s,
            decided_by,
            label,
            [CodingSpec.of(c) for c in codings],
            add,
            [i for i, _ in records],
            [draft],
        )
        audit(
            s,
            decided_by,
            "settle",
            "disagreement",
            None,
            code=review.code,
            document=p.document,
            start=p.start,
            end=p.end,
            choice=choice,
        )
    return receipt


def reopen(project: Project, review: Review, number: int, *, actor: str) -> Receipt:
    """Undo the decision on item ``number``: its consensus codings and memo go."""
    p = review.item(number).passage
    with project.write() as s:
        codings, records = _overlapping_state(s, review, p)
        if not records:
            return Receipt(f"reopen {review.code} #{number}")
        return _apply(
            s,
            actor,
            f"reopen {review.code} #{number}",
            remove=[CodingSpec.of(c) for c in codings],
            drop_memos=[i for i, _ in records],
        )


def accept_agreements(project: Project, review: Review, *, decided_by: str) -> Receipt:
    """Copy every passage where the coders agree to consensus (their union of spans)."""
    label = f"accept agreements on {review.code}"
    with project.write() as s:
        consensus_id = get_or_create_coder(s, CONSENSUS).id
        specs = [
            CodingSpec(p.document_id, review.code_id, consensus_id, st, en)
            for p in review.agreements
            for st, en in p.kept("both")
        ]
        new = [spec for spec, i in zip(specs, coding_ids(s, specs), strict=True) if i is None]
        if not new:
            return Receipt(label)
        at = utcnow().isoformat(timespec="seconds")
        names = {i: n for i, n in s.execute(select(Document.id, Document.name))}
        lines = [f"{names[c.document_id]} {c.start}-{c.end}" for c in new]
        body = (
            f"{decided_by} accepted {len(new)} passage(s) where {review.coder_a} and "
            f"{review.coder_b} agree on {review.code} (by {review.unit}) on {at} UTC:\n"
            + "\n".join(lines)
        )
        title = f"Consensus on {review.code}: agreements accepted"[:255]
        draft = MemoDraft(title, body, get_or_create_coder(s, decided_by).id)
        return _apply(s, decided_by, label, add=new, new_memos=[draft])
