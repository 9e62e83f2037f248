"""The one owner of coding rows: insert, delete, find and change them, each change audited.

Every path that writes codings (the terminal UI's undo history, the command line, CSV import,
REFI-QDA import, project merge, consensus, auto-code and suggestions) comes through here, so
every change leaves the same audit record: one entry per coding added, removed or changed, with
everything needed to put it back (document, code, coder, span and memos, and for a change what
it replaced). A coding's memos travel with it: removing a coding returns them in its
:class:`CodingSpec`, and inserting that spec restores them.

Each coder changes only their own codings: :func:`check_own` is the rule every face applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths, find_code, get_code
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.store.models import (
    AuditEntry,
    Base,
    Coder,
    Coding,
    Document,
    Memo,
    Participant,
    utcnow,
)
from qualcode.store.texts import read_passages

#: (document, code, coder, start, end): what the store keeps unique about a coding
CodingIdentity = tuple[int, int, int, int, int]


def check_span(doc: Document, start: int, end: int) -> None:
    check_span_within(doc.name, doc.length, start, end)


def check_span_within(name: str, length: int, start: int, end: int) -> None:
    """Refuse a span that is not inside a document of ``length`` code points (or is empty)."""
    if start < 0 or end > length or start >= end:
        raise QualcodeError(f"span {start}-{end} is not inside {name} (0-{length}, start < end)")


@dataclass(frozen=True)
class MemoSpec:
    """A memo on a coding, apart from its id and the coding it is on."""

    coder_id: int | None
    body: str
    title: str = ""
    created_at: dt.datetime | None = field(default=None, compare=False)
    decision: dict[str, Any] | None = field(default=None, compare=False)  # see Memo.decision


@dataclass(frozen=True)
class CodingSpec:
    """What a coding is, apart from its id: its identity and its memos."""

    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    memos: tuple[MemoSpec, ...] = ()
    created_at: dt.datetime | None = field(default=None, compare=False)

    @classmethod
    def of(cls, c: Coding) -> CodingSpec:
        """A stored coding's identity (its memos are not read)."""
        return cls(c.document_id, c.code_id, c.coder_id, c.start, c.end, created_at=c.created_at)

    @property
    def identity(self) -> CodingIdentity:
        return (self.document_id, self.code_id, self.coder_id, self.start, self.end)

    @property
    def memo(self) -> str | None:
        """The memos' text, joined (None when there is none)."""
        return join_memos(m.body for m in self.memos)

    def with_memo(self, body: str | None) -> CodingSpec:
        """The same coding with one memo by its coder (none for a blank text); the text is
        kept as it is."""
        keep = body is not None and bool(body.strip())
        return replace(self, memos=(MemoSpec(self.coder_id, body),) if keep and body else ())


def join_memos(bodies: Iterable[str]) -> str | None:
    """How several memos on one coding read as one text."""
    text = "\n\n".join(b for b in bodies if b)
    return text or None


# -- reading ------------------------------------------------------------------------------------
def coding_ids(s: Session, specs: Sequence[CodingSpec]) -> list[int | None]:
    """The id of the stored coding with each spec's identity, or None."""
    if not specs:
        return []
    found = existing_identities(s, [spec.identity for spec in specs])
    return [found.get(spec.identity) for spec in specs]


#: up to this many identities, the query names their starts too (one coding's lookup then
#: reads the codings at that offset, not every coding of the document)
NARROW_LOOKUP = 500


def existing_identities(
    s: Session, identities: Iterable[CodingIdentity]
) -> dict[CodingIdentity, int]:
    """Identity -> id of the stored codings that have one of these identities.

    The query reads only codings of the documents, codes and coders named (and, for a few
    identities, starting where one of them starts), so its cost follows what is asked, not
    how many codings a document holds."""
    wanted = set(identities)
    if not wanted:
        return {}
    docs, codes, coders, starts = ({ident[i] for ident in wanted} for i in range(4))
    stmt = select(
        Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end
    ).where(
        Coding.document_id.in_(sorted(docs)),
        Coding.code_id.in_(sorted(codes)),
        Coding.coder_id.in_(sorted(coders)),
    )
    if len(wanted) <= NARROW_LOOKUP:
        stmt = stmt.where(Coding.start.in_(sorted(starts)))
    rows = ((i, (d, c, k, a, b)) for i, d, c, k, a, b in s.execute(stmt))
    return {ident: i for i, ident in rows if ident in wanted}


def specs_of(s: Session, ids: Iterable[int]) -> dict[int, CodingSpec]:
    """The specs (memos included) of stored codings, by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    memos = memo_specs(s, wanted)
    rows = s.execute(
        select(
            Coding.id,
            Coding.document_id,
            Coding.code_id,
            Coding.coder_id,
            Coding.start,
            Coding.end,
            Coding.created_at,
        ).where(Coding.id.in_(wanted))
    )
    return {
        i: CodingSpec(d, c, k, a, b, memos.get(i, ()), created)
        for i, d, c, k, a, b, created in rows
    }


def memo_specs(s: Session, coding_ids: Sequence[int]) -> dict[int, tuple[MemoSpec, ...]]:
    """The memos on each of these codings, oldest first."""
    out: dict[int, list[MemoSpec]] = {}
    stmt = (
        select(Memo.coding_id, Memo.coder_id, Memo.body, Memo.title, Memo.created_at, Memo.decision)
        .where(Memo.coding_id.in_(list(coding_ids)))
        .order_by(Memo.created_at, Memo.id)
    )
    for coding_id, coder_id, body, title, created, decision in s.execute(stmt):
        if coding_id is not None:
            spec = MemoSpec(coder_id, body, title, created, decision)
            out.setdefault(coding_id, []).append(spec)
    return {k: tuple(v) for k, v in out.items()}


def coding_memos(s: Session, coding_ids: Sequence[int] | None = None) -> dict[int, str]:
    """Coding id -> its memos' text joined (codings without memos are left out)."""
    stmt = select(Memo.coding_id, Memo.body).where(Memo.coding_id.is_not(None))
    if coding_ids is not None:
        if not coding_ids:
            return {}
        stmt = stmt.where(Memo.coding_id.in_(list(coding_ids)))
    bodies: dict[int, list[str]] = {}
    for coding_id, body in s.execute(stmt.order_by(Memo.created_at, Memo.id)):
        if coding_id is not None:
            bodies.setdefault(coding_id, []).append(body)
    return {k: text for k, v in bodies.items() if (text := join_memos(v)) is not None}


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements (bulk writes skip the ORM's per-row work)."""
    return cast(Table, model.__table__)


# -- the audit record ---------------------------------------------------------------------------
class CodingDescriber:
    """Turns specs into audit details, reading the names of only the documents, codes and
    coders involved, once per unit of work (those of ``specs`` in three queries)."""

    def __init__(self, s: Session, specs: Iterable[CodingSpec] = ()) -> None:
        self.s = s
        self._paths: dict[int, str] = {}
        self._coders: dict[int, str] = {}
        self._docs: dict[int, str] = {}
        self._read(list(specs))

    def _read(self, specs: list[CodingSpec]) -> None:
        codes = {sp.code_id for sp in specs} - self._paths.keys()
        coders = {sp.coder_id for sp in specs} - self._coders.keys()
        docs = {sp.document_id for sp in specs} - self._docs.keys()
        if codes:
            self._paths.update(code_paths(self.s, codes))
        if coders:
            stmt = select(Coder.id, Coder.name).where(Coder.id.in_(coders))
            self._coders.update({i: name for i, name in self.s.execute(stmt)})
        if docs:
            stmt = select(Document.id, Document.name).where(Document.id.in_(docs))
            self._docs.update({i: name for i, name in self.s.execute(stmt)})
            self._docs.update({d: f"document {d}" for d in docs - self._docs.keys()})

    def __call__(self, spec: CodingSpec) -> dict[str, Any]:
        known = (self._docs, spec.document_id), (self._coders, spec.coder_id)
        if any(key not in names for names, key in known) or spec.code_id not in self._paths:
            self._read([spec])
        return {
            "document": self._docs[spec.document_id],
            "document_id": spec.document_id,
            "code": self._paths.get(spec.code_id, f"code {spec.code_id}"),
            "code_id": spec.code_id,
            "coder": self._coders.get(spec.coder_id, f"coder {spec.coder_id}"),
            "coder_id": spec.coder_id,
            "start": spec.start,
            "end": spec.end,
            "memo": spec.memo,
        }


def audit_codings(
    s: Session, actor: str, action: str, rows: list[tuple[int, dict[str, Any]]]
) -> None:
    if rows:
        now = utcnow()
        s.execute(
            insert(table_of(AuditEntry)),
            [
                {
                    "at": now,
                    "actor": actor,
                    "action": action,
                    "entity": "coding",
                    "entity_id": i,
                    "detail": d,
                }
                for i, d in rows
            ],
        )


# -- writing ------------------------------------------------------------------------------------
def insert_codings(
    s: Session, specs: Sequence[CodingSpec], actor: str, **context: Any
) -> tuple[list[int], list[int]]:
    """Insert the codings not stored yet (by identity), with their memos, each audited.

    Returns (the id of every spec's coding, in order; the ids that are new). ``context`` goes
    into every audit record (say, ``via="merge"``). Spans are not checked here: callers check
    them against the text (:func:`check_span`) where they come from outside.
    """
    have = existing_identities(s, [spec.identity for spec in specs])
    ids: list[int | None] = []
    new_specs: list[CodingSpec] = []
    pending: dict[CodingIdentity, int] = {}
    for spec in specs:
        known = have.get(spec.identity)
        if known is None and spec.identity not in pending:
            pending[spec.identity] = len(new_specs)
            new_specs.append(spec)
        ids.append(known)
    if not new_specs:
        return [i for i in ids if i is not None], []
    now = utcnow()
    rows = [
        {
            "document_id": sp.document_id,
            "code_id": sp.code_id,
            "coder_id": sp.coder_id,
            "start": sp.start,
            "end": sp.end,
            "created_at": sp.created_at or now,
            "updated_at": sp.created_at or now,
        }
        for sp in new_specs
    ]
    # One Core executemany (RETURNING in parameter order would send SQLite one statement per
    # row), then the new ids read back by identity, which the store keeps unique.
    s.execute(insert(table_of(Coding)), rows)
    stored = existing_identities(s, pending)
    new_ids = [stored[sp.identity] for sp in new_specs]
    memo_rows = [
        {
            "coding_id": cid,
            "coder_id": m.coder_id,
            "title": m.title,
            "body": m.body,
            "decision": m.decision,
            "created_at": m.created_at or sp.created_at or now,
            "updated_at": m.created_at or sp.created_at or now,
        }
        for cid, sp in zip(new_ids, new_specs, strict=True)
        for m in sp.memos
    ]
    if memo_rows:
        s.execute(insert(table_of(Memo)), memo_rows)
    describe = CodingDescriber(s, new_specs)
    audit_codings(
        s,
        actor,
        "add",
        [(cid, describe(sp) | context) for cid, sp in zip(new_ids, new_specs, strict=True)],
    )
    out = [
        i if i is not None else new_ids[pending[spec.identity]]
        for i, spec in zip(ids, specs, strict=True)
    ]
    return out, new_ids


def delete_codings(
    s: Session, ids: Iterable[int], actor: str, **context: Any
) -> dict[int, CodingSpec]:
    """Delete codings (their memos go with them), each audited; returns what they were."""
    gone = specs_of(s, ids)
    if not gone:
        return {}
    describe = CodingDescriber(s, gone.values())
    audit_codings(s, actor, "remove", [(i, describe(sp) | context) for i, sp in gone.items()])
    s.execute(delete(Memo).where(Memo.coding_id.in_(list(gone))))
    s.execute(delete(Coding).where(Coding.id.in_(list(gone))))
    return gone


def delete_specs(s: Session, specs: Sequence[CodingSpec], actor: str, **context: Any) -> list[int]:
    """Delete the stored codings with these specs' identities; returns their ids."""
    ids = [i for i in coding_ids(s, specs) if i is not None]
    delete_codings(s, ids, actor, **context)
    return ids


def change_coding(
    s: Session,
    coding_id: int,
    actor: str,
    *,
    code_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    **context: Any,
) -> tuple[CodingSpec, CodingSpec]:
    """Change a coding's code or span in place (it keeps its id and memos); audited with what
    it replaced. Returns (before, after). Refuses a change onto a coding that is already there."""
    before = specs_of(s, [coding_id]).get(coding_id)
    if before is None:
        raise NotFound(f"no coding with id {coding_id}; it may have been removed")
    after = replace(
        before,
        code_id=before.code_id if code_id is None else code_id,
        start=before.start if start is None else start,
        end=before.end if end is None else end,
    )
    if after.identity == before.identity:
        return before, after
    check_span(s.get_one(Document, before.document_id), after.start, after.end)
    clash = existing_identities(s, [after.identity]).get(after.identity)
    if clash is not None:
        raise QualcodeError("that coding is already there")
    row = s.get_one(Coding, coding_id)
    row.code_id, row.start, row.end = after.code_id, after.start, after.end
    row.updated_at = utcnow()
    s.flush()
    describe = CodingDescriber(s)
    detail = describe(after) | {"replaced": describe(before)} | context
    audit_codings(s, actor, "change", [(coding_id, detail)])
    return before, after


def check_own(s: Session, ids: Iterable[int], coder: str) -> None:
    """Refuse when any of these codings is another coder's (each coder changes only their own)."""
    wanted = list(ids)
    rows = s.execute(
        select(Coding.id, Coder.name)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coding.id.in_(wanted))
    ).all()
    for coding_id, owner in rows:
        if owner != coder:
            raise QualcodeError(
                f"coding {coding_id} is {owner}'s, not {coder}'s; "
                "each coder changes only their own (--any-coder overrides)"
            )


# -- the command line's single codings ----------------------------------------------------------
def spec_for(
    s: Session,
    *,
    document: str | int | Document,
    code: str | int,
    coder: str,
    start: int,
    end: int,
    memo: str | None = None,
) -> CodingSpec:
    """A coding named the way people name things (document and code by name), span checked."""
    doc = document if isinstance(document, Document) else find_document(s, document)
    check_span(doc, start, end)
    code_id = get_code(s, code).id
    coder_id = get_or_create_coder(s, coder).id
    return CodingSpec(doc.id, code_id, coder_id, start, end).with_memo(memo)


def ensure_coding(
    s: Session,
    *,
    document: str | int | Document,
    code: str | int,
    coder: str,
    start: int,
    end: int,
    memo: str | None = None,
    **context: Any,
) -> tuple[int, bool]:
    """Code ``[start, end)`` of a document; coding the same span again keeps the one there.
    Returns (the coding's id, whether it is new)."""
    spec = spec_for(s, document=document, code=code, coder=coder, start=start, end=end, memo=memo)
    ids, new = insert_codings(s, [spec], coder, **context)
    return ids[0], bool(new)


def add_coding(
    s: Session,
    *,
    document: str | int | Document,
    code: str | int,
    coder: str,
    start: int,
    end: int,
    memo: str | None = None,
) -> Coding:
    """Like :func:`ensure_coding`, returning the stored coding."""
    coding_id = ensure_coding(
        s, document=document, code=code, coder=coder, start=start, end=end, memo=memo
    )[0]
    return s.get_one(Coding, coding_id)


def remove_coding(s: Session, coding_id: int, *, actor: str, any_coder: bool = False) -> CodingSpec:
    """Remove one coding: the actor's own, or anyone's with ``any_coder`` (audited as such)."""
    if s.get(Coding, coding_id) is None:
        raise NotFound(f"no coding with id {coding_id}")
    if not any_coder:
        check_own(s, [coding_id], actor)
    return delete_codings(s, [coding_id], actor, any_coder=any_coder or None)[coding_id]


# -- listing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodingRow:
    id: int
    document: str
    participant: str | None
    code: str
    coder: str
    start: int
    end: int
    text: str
    memo: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "document": self.document,
            "participant": self.participant,
            "code": self.code,
            "coder": self.coder,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "memo": self.memo,
        }


def list_codings(
    s: Session,
    *,
    document: str | None = None,
    code: str | None = None,
    coder: str | None = None,
) -> list[CodingRow]:
    """Codings with their code path, coded text and memos, in document and offset order."""
    stmt = (
        select(Coding, Document.name, Coder.name, Participant.label)
        .join(Document, Coding.document_id == Document.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name, Coding.start, Coding.end, Coding.id)
    )
    if document is not None:
        stmt = stmt.where(Coding.document_id == find_document(s, document).id)
    if code is not None:
        stmt = stmt.where(Coding.code_id == find_code(s, code).id)
    if coder is not None:
        stmt = stmt.where(Coder.name == coder)
    paths = code_paths(s)
    memos = coding_memos(s)
    rows = s.execute(stmt).all()
    spans: dict[int, list[tuple[int, int]]] = {}
    for c, *_rest in rows:
        spans.setdefault(c.document_id, []).append((c.start, c.end))
    texts = read_passages(s, spans)  # the coded passages, not the documents' whole texts
    return [
        CodingRow(
            id=c.id,
            document=doc_name,
            participant=label,
            code=paths[c.code_id],
            coder=coder_name,
            start=c.start,
            end=c.end,
            text=texts[c.document_id][c.start : c.end],
            memo=memos.get(c.id),
        )
        for c, doc_name, coder_name, label in rows
    ]
