"""Retrieval, the "coding report": every segment coded with a code (or a code group) across the
corpus, in context, filtered by participant attributes, coder and document.

Attribute filters are written ``name=value`` (``state=Ohio``, ``state=Ohio,Texas`` for either),
``name!=value``, or compared for numbers and dates (``years_experience>=10``). Several filters
must all hold. ``participant=P07`` filters on the participant's label.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.units import document_units, units_touched
from qualcode.coding.codes import code_paths, get_code
from qualcode.coding.codings import coding_memos
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.attributes import parse_number
from qualcode.ingest.documents import find_document
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Group,
    GroupMember,
    Participant,
    Segment,
)

CONTEXT_UNITS = ("sentence", "turn", "paragraph")
DEFAULT_CONTEXT: int | str = "sentence"
FALLBACK_CHARS = 100
_FILTER = re.compile(r"^\s*([^=!<>]+?)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$")
PARTICIPANT = "participant"


@dataclass(frozen=True)
class AttributeFilter:
    """One ``name op value`` condition on a participant's attributes."""

    name: str
    op: str
    value: str

    def __str__(self) -> str:
        return f"{self.name}{self.op}{self.value}"


def parse_filter(text: str) -> AttributeFilter:
    m = _FILTER.match(text)
    if m is None or not m.group(3):
        raise QualcodeError(f"filter {text!r} is not name=value (or !=, <, <=, >, >=)")
    return AttributeFilter(m.group(1), m.group(2), m.group(3))


def parse_filters(texts: Iterable[str | AttributeFilter]) -> list[AttributeFilter]:
    return [t if isinstance(t, AttributeFilter) else parse_filter(t) for t in texts]


def _compare(have: float | dt.date | str, op: str, wanted: float | dt.date | str) -> bool:
    if op == "=":
        return have == wanted
    if op == "!=":
        return have != wanted
    if isinstance(have, float) and isinstance(wanted, float):
        return _ordered(have, op, wanted)
    if isinstance(have, dt.date) and isinstance(wanted, dt.date):
        return _ordered(have, op, wanted)
    return False


def _ordered(have: float | dt.date, op: str, wanted: float | dt.date) -> bool:
    if op == "<":
        return have < wanted  # type: ignore[operator]
    if op == "<=":
        return have <= wanted  # type: ignore[operator]
    if op == ">":
        return have > wanted  # type: ignore[operator]
    return have >= wanted  # type: ignore[operator]


def _parse_value(raw: str, kind: str, name: str) -> float | dt.date | str:
    try:
        if kind == "number":
            return parse_number(raw)
        if kind == "date":
            return dt.date.fromisoformat(raw)
    except ValueError:
        raise QualcodeError(f"attribute {name!r} holds {kind}s; {raw!r} is not one") from None
    return raw.casefold()


def matching_participants(s: Session, filters: Sequence[AttributeFilter]) -> set[int]:
    """Ids of the participants for whom every filter holds."""
    attrs = {a.name.casefold(): a for a in s.scalars(select(Attribute)).all()}
    labels = dict(s.execute(select(Participant.id, Participant.label)).all())
    keep = set(labels)
    for f in filters:
        key = f.name.casefold()
        if key == PARTICIPANT:
            kind = "text"
            values: dict[int, float | dt.date | str] = {
                pid: label.casefold() for pid, label in labels.items()
            }
        elif key in attrs:
            attr = attrs[key]
            kind = attr.kind
            values = {}
            for av in s.scalars(
                select(AttributeValue).where(AttributeValue.attribute_id == attr.id)
            ).all():
                v = av.value
                if v is not None:
                    values[av.participant_id] = v.casefold() if isinstance(v, str) else v
        else:
            known = ", ".join(sorted([PARTICIPANT, *(a.name for a in attrs.values())]))
            raise QualcodeError(f"no attribute {f.name!r}; filter on one of: {known}")
        if kind == "text" and f.op not in ("=", "!="):
            raise QualcodeError(f"{f}: {f.op} compares numbers and dates; {f.name!r} is text")
        options = [_parse_value(v.strip(), kind, f.name) for v in f.value.split(",") if v.strip()]
        if f.op == "!=":
            ok = {p for p, v in values.items() if all(_compare(v, "!=", o) for o in options)}
        else:
            ok = {p for p, v in values.items() if any(_compare(v, f.op, o) for o in options)}
        keep &= ok
    return keep


@dataclass(frozen=True)
class Retrieved:
    """One coded segment with its surroundings: ``before + text + after`` is the context."""

    coding_id: int
    document_id: int
    document: str
    participant: str | None
    speaker: str | None
    code_id: int
    code: str
    coder: str
    start: int
    end: int
    text: str
    before: str
    after: str
    memo: str | None

    @property
    def context_start(self) -> int:
        return self.start - len(self.before)

    @property
    def context_end(self) -> int:
        return self.end + len(self.after)

    def marked(self, left: str = "[", right: str = "]") -> str:
        """The context on one line with the coded part between ``left`` and ``right``."""
        return _squash(self.before) + left + _squash(self.text) + right + _squash(self.after)

    def as_json(self) -> dict[str, object]:
        return {
            "coding_id": self.coding_id,
            "document_id": self.document_id,
            "document": self.document,
            "participant": self.participant,
            "speaker": self.speaker,
            "code": self.code,
            "coder": self.coder,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "before": self.before,
            "after": self.after,
            "context_start": self.context_start,
            "context_end": self.context_end,
            "memo": self.memo,
        }


def _squash(text: str) -> str:
    """White space runs as one space, keeping a leading/trailing space if there was one."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def check_context(context: int | str) -> int | str:
    """``sentence``, ``turn``, ``paragraph`` or a number of characters either side."""
    if isinstance(context, int):
        if context < 0:
            raise QualcodeError("context must be 0 or more characters")
        return context
    text = context.strip().lower()
    if text.isdigit():
        return int(text)
    if text not in CONTEXT_UNITS:
        raise QualcodeError(
            f"context {context!r}: use a number of characters or {', '.join(CONTEXT_UNITS)}"
        )
    return text


def code_ids_for(
    s: Session,
    *,
    codes: Sequence[str | int] = (),
    group: str | None = None,
    descendants: bool = False,
) -> set[int]:
    """The codes to retrieve: the named codes and the members of a code group, optionally with
    all their descendants."""
    ids: set[int] = set()
    for ref in codes:
        ids.add(get_code(s, ref).id)
    if group is not None:
        grp = s.scalar(select(Group).where(Group.kind == "code", Group.name == group.strip()))
        if grp is None:
            names = s.scalars(select(Group.name).where(Group.kind == "code")).all()
            known = ", ".join(sorted(names)) or "none yet"
            raise NotFound(f"no code group {group!r} (code groups: {known})")
        ids.update(
            cid
            for cid in s.scalars(
                select(GroupMember.code_id).where(GroupMember.group_id == grp.id)
            ).all()
            if cid is not None
        )
    if descendants and ids:
        children: dict[int, list[int]] = {}
        for cid, parent in s.execute(select(Code.id, Code.parent_id)):
            if parent is not None:
                children.setdefault(parent, []).append(cid)
        stack = list(ids)
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in ids:
                    ids.add(child)
                    stack.append(child)
    return ids


def retrieve(
    s: Session,
    *,
    codes: Sequence[str | int] = (),
    group: str | None = None,
    descendants: bool = False,
    where: Iterable[str | AttributeFilter] = (),
    coders: Sequence[str] = (),
    documents: Sequence[str | int] = (),
    document_group: str | None = None,
    context: int | str = DEFAULT_CONTEXT,
) -> list[Retrieved]:
    """Coded segments in document and offset order. Name at least one code or a code group."""
    if not codes and group is None:
        raise QualcodeError("say which code (or --group) to retrieve")
    context = check_context(context)
    filters = parse_filters(where)
    code_ids = code_ids_for(s, codes=codes, group=group, descendants=descendants)
    stmt = (
        select(Coding, Document.name, Coder.name, Participant.label)
        .join(Document, Coding.document_id == Document.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .where(Coding.code_id.in_(code_ids))
    )
    if coders:
        stmt = stmt.where(Coder.name.in_([c.strip() for c in coders]))
    doc_ids = {find_document(s, d).id for d in documents}
    if document_group is not None:
        doc_ids |= _document_group(s, document_group)
    if doc_ids:
        stmt = stmt.where(Coding.document_id.in_(doc_ids))
    if filters:
        stmt = stmt.where(Document.participant_id.in_(matching_participants(s, filters)))
    rows = s.execute(stmt).all()
    paths = code_paths(s)
    involved = {c.document_id for c, *_ in rows}
    texts = dict(
        s.execute(select(Document.id, Document.text).where(Document.id.in_(involved))).all()
    )
    units = document_units(s, context, involved) if isinstance(context, str) else {}
    unit_starts = {doc: [a for a, _ in spans] for doc, spans in units.items()}
    turns = _turns(s, involved)
    memos = coding_memos(s, [row[0].id for row in rows])
    out = []
    for coding, doc_name, coder_name, label in rows:
        text = texts[coding.document_id]
        doc_units = units.get(coding.document_id)
        around = (doc_units, unit_starts[coding.document_id]) if doc_units else None
        a, b = _context(text, coding.start, coding.end, context, around)
        out.append(
            Retrieved(
                coding_id=coding.id,
                document_id=coding.document_id,
                document=doc_name,
                participant=label,
                speaker=_speaker(turns.get(coding.document_id), coding.start),
                code_id=coding.code_id,
                code=paths[coding.code_id],
                coder=coder_name,
                start=coding.start,
                end=coding.end,
                text=text[coding.start : coding.end],
                before=text[a : coding.start],
                after=text[coding.end : b],
                memo=memos.get(coding.id),
            )
        )
    out.sort(key=lambda r: (r.document, r.start, r.end, r.code, r.coder, r.coding_id))
    return out


def _document_group(s: Session, name: str) -> set[int]:
    grp = s.scalar(select(Group).where(Group.kind == "document", Group.name == name.strip()))
    if grp is None:
        raise NotFound(f"no document group {name!r}")
    members = s.scalars(select(GroupMember.document_id).where(GroupMember.group_id == grp.id))
    return {d for d in members.all() if d is not None}


@dataclass(frozen=True)
class _Turns:
    """A document's speaker turns in offset order, with their starts for bisecting."""

    starts: list[int]
    turns: list[tuple[int, int, str | None]]


def _turns(s: Session, doc_ids: set[int]) -> dict[int, _Turns]:
    out: dict[int, _Turns] = {}
    rows = s.execute(
        select(Segment.document_id, Segment.start, Segment.end, Segment.speaker)
        .where(Segment.kind == "turn", Segment.document_id.in_(doc_ids))
        .order_by(Segment.start)
    )
    for doc_id, start, end, speaker in rows:
        turns = out.setdefault(doc_id, _Turns([], []))
        turns.starts.append(start)
        turns.turns.append((start, end, speaker))
    return out


def _speaker(turns: _Turns | None, pos: int) -> str | None:
    """The speaker of the turn holding ``pos`` (turns do not overlap)."""
    if turns is None:
        return None
    i = bisect_right(turns.starts, pos) - 1
    if i >= 0 and turns.turns[i][0] <= pos < turns.turns[i][1]:
        return turns.turns[i][2]
    return None


def _context(
    text: str,
    start: int,
    end: int,
    context: int | str,
    units: tuple[list[tuple[int, int]], list[int]] | None,
) -> tuple[int, int]:
    """The context span around ``[start, end)``: the units it touches (``units``: a
    document's sorted units and their starts), or N characters either side cut back to whole
    words."""
    if isinstance(context, str):
        spans, starts = units if units is not None else ([], [])
        touched = units_touched(spans, starts, (start, end))
        if touched:
            return min(start, spans[touched[0]][0]), max(end, spans[touched[-1]][1])
        context = FALLBACK_CHARS
    if context == 0:
        return start, end
    a = max(0, start - context)
    b = min(len(text), end + context)
    if a > 0 and not text[a - 1].isspace():
        gap = re.search(r"\s", text[a:start])
        a = a + gap.end() if gap else start
    if b < len(text) and not text[b].isspace():
        gaps = list(re.finditer(r"\s", text[end:b]))
        b = end + gaps[-1].start() if gaps else end
    return a, b


@dataclass(frozen=True)
class RetrievalSummary:
    segments: int
    documents: int
    participants: int
    by_code: dict[str, int]
    by_coder: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {
            "segments": self.segments,
            "documents": self.documents,
            "participants": self.participants,
            "by_code": self.by_code,
            "by_coder": self.by_coder,
        }


def summarise(rows: Sequence[Retrieved]) -> RetrievalSummary:
    by_code: dict[str, int] = {}
    by_coder: dict[str, int] = {}
    for r in rows:
        by_code[r.code] = by_code.get(r.code, 0) + 1
        by_coder[r.coder] = by_coder.get(r.coder, 0) + 1
    return RetrievalSummary(
        segments=len(rows),
        documents=len({r.document_id for r in rows}),
        participants=len({r.participant for r in rows if r.participant is not None}),
        by_code=dict(sorted(by_code.items())),
        by_coder=dict(sorted(by_coder.items())),
    )


@dataclass(frozen=True)
class RetrievalChoices:
    """What a retrieval form can offer: codes, groups, coders, documents, attribute values."""

    codes: list[tuple[int, str]]
    code_groups: list[str]
    coders: list[str]
    documents: list[tuple[int, str]]
    attributes: dict[str, list[str]]


def retrieval_choices(s: Session) -> RetrievalChoices:
    paths = code_paths(s)
    raw: dict[str, set[float | dt.date | str]] = {}
    for av in s.scalars(select(AttributeValue)).all():
        v = av.value
        if v is not None:
            raw.setdefault(av.attribute.name, set()).add(v)
    attributes = {name: [_show(v) for v in _sorted(values)] for name, values in raw.items()}
    return RetrievalChoices(
        codes=sorted(paths.items(), key=lambda kv: kv[1]),
        code_groups=list(
            s.scalars(select(Group.name).where(Group.kind == "code").order_by(Group.name)).all()
        ),
        coders=list(s.scalars(select(Coder.name).order_by(Coder.name)).all()),
        documents=[
            (i, n) for i, n in s.execute(select(Document.id, Document.name).order_by(Document.name))
        ],
        attributes=dict(sorted(attributes.items())),
    )


def _show(value: float | dt.date | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sorted(values: set[float | dt.date | str]) -> list[float | dt.date | str]:
    return sorted(values, key=lambda v: (type(v).__name__, v))
