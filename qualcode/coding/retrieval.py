"""Retrieval, the "coding report": every segment coded with a code (or a code group) across the
corpus, in context, filtered by participant attributes, coder and document.

Attribute filters are written ``name=value`` (``state=Ohio``, ``state=Ohio,Texas`` for either),
``name!=value``, or compared for numbers and dates (``years_experience>=10``). Several filters
must all hold. ``participant=P07`` filters on the participant's label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, Subquery, select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Sliceable
from qualcode.analysis.units import (
    document_units,
    documents_with_units,
    speaker_at,
    units_around,
    units_touched,
)
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
)
from qualcode.store.texts import Passages, read_passages

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
        select(
            Coding.id,
            Coding.document_id,
            Coding.code_id,
            Coding.start,
            Coding.end,
            Document.name,
            Coder.name,
            Participant.label,
        )
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
    if not rows:
        return []
    paths = code_paths(s)
    spans = stmt.with_only_columns(
        Coding.id.label("id"),
        Coding.document_id.label("document_id"),
        Coding.start.label("start"),
        Coding.end.label("end"),
    )
    windows = _Windows(s, context, spans.subquery(), {r.document_id for r in rows})
    speakers = _speakers(s, spans, windows, {r.id: r.start for r in rows})
    for r in rows:
        windows.ask(r.id, r.document_id, r.start, r.end)
    texts = read_passages(s, windows.wanted)
    memos = coding_memos(s, [r.id for r in rows])
    out = []
    for r in rows:
        text = texts[r.document_id]
        a, b = windows.context(r.id, text, r.start, r.end)
        out.append(
            Retrieved(
                coding_id=r.id,
                document_id=r.document_id,
                document=r[5],
                participant=r.label,
                speaker=speakers.get(r.id),
                code_id=r.code_id,
                code=paths[r.code_id],
                coder=r[6],
                start=r.start,
                end=r.end,
                text=text[r.start : r.end],
                before=text[a : r.start],
                after=text[r.end : b],
                memo=memos.get(r.id),
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


def _speakers(
    s: Session, spans: Select[int, int, int, int], windows: _Windows, starts: dict[int, int]
) -> dict[int, str | None]:
    """Coding id -> the speaker of the turn holding the coding's start (turns do not
    overlap), reading only those turns: the turns read for the context when it is turns."""
    if windows.kind == "turn":
        turns = windows.units
    else:
        at_start = spans.with_only_columns(
            Coding.id.label("id"),
            Coding.document_id.label("document_id"),
            Coding.start.label("start"),
            (Coding.start + 1).label("end"),
        ).subquery()
        turns = units_around(s, "turn", at_start)
    out: dict[int, str | None] = {}
    for coding_id, candidates in turns.items():
        speaker = speaker_at(candidates, starts[coding_id])
        if speaker is not None:
            out[coding_id] = speaker
    return out


class _Windows:
    """The context of each coding, and the passages of text that retrieval must read for it:
    the units around it (read without the other units), or N characters either side."""

    def __init__(self, s: Session, context: int | str, spans: Subquery, involved: set[int]) -> None:
        self.kind = context
        self.wanted: dict[int, list[tuple[int, int]]] = {}
        self.spans: dict[int, tuple[int, int]] = {}  # coding id -> its unit context
        self.chars: dict[int, int] = {}  # coding id -> characters either side
        self.units: dict[int, list[tuple[int, int, str | None]]] = {}
        self.cut: dict[int, list[tuple[int, int]]] = {}  # units of documents with none stored
        if isinstance(context, str):
            self.units = units_around(s, context, spans)
            with_units = documents_with_units(s, context, spans)
            self.cut = document_units(s, context, involved - with_units)

    def ask(self, coding_id: int, doc_id: int, start: int, end: int) -> None:
        wanted = self.wanted.setdefault(doc_id, [])
        if isinstance(self.kind, str):
            if doc_id in self.cut:
                units = self.cut[doc_id]
                touched = [
                    units[i] for i in units_touched(units, [a for a, _ in units], (start, end))
                ]
            else:
                candidates = self.units.get(coding_id, [])
                touched = [(a, b) for a, b, _ in candidates if b > start]
            if touched:
                span = min(start, touched[0][0]), max(end, touched[-1][1])
                self.spans[coding_id] = span
                wanted.append(span)
                return
            n = FALLBACK_CHARS
        else:
            n = self.kind
        self.chars[coding_id] = n
        wanted.append((start - n - 1, end + n + 1))

    def context(self, coding_id: int, text: Passages, start: int, end: int) -> tuple[int, int]:
        if coding_id in self.spans:
            return self.spans[coding_id]
        return _char_context(text, start, end, self.chars[coding_id])


def _char_context(text: Sliceable, start: int, end: int, context: int) -> tuple[int, int]:
    """``context`` characters either side of ``[start, end)``, cut back to whole words."""
    if context == 0:
        return start, end
    a = max(0, start - context)
    b = min(len(text), end + context)
    if a > 0 and not text[a - 1 : a].isspace():
        gap = re.search(r"\s", text[a:start])
        a = a + gap.end() if gap else start
    if b < len(text) and not text[b : b + 1].isspace():
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
