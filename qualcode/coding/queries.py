"""Read models for the coding workbench: plain data the terminal UI shows, and the settings it
keeps. No user-interface code here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.coverage import merged_length
from qualcode.coding.codes import code_paths
from qualcode.coding.codings import coding_memos
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
    Segment,
    Setting,
)


@dataclass(frozen=True)
class CodeEntry:
    """One code of the codebook, with its full path."""

    id: int
    parent_id: int | None
    name: str
    path: str
    colour: str
    shortcut: str | None
    position: int
    description: str = ""


@dataclass(frozen=True)
class CodingInfo:
    """One coding as the workbench shows it."""

    id: int
    document_id: int
    code_id: int
    coder_id: int
    coder: str
    start: int
    end: int
    memo: str | None = None

    @property
    def key(self) -> CodingKey:
        """What the coding is, short of its memo (as :func:`document_coding_keys` reads it)."""
        return (self.code_id, self.coder_id, self.start, self.end)


@dataclass(frozen=True)
class SegmentInfo:
    kind: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class DocumentData:
    """What the coding screen needs of a document (its codings come separately)."""

    id: int
    name: str
    text: str
    participant: str | None
    turns: list[SegmentInfo] = field(default_factory=list)
    sentences: list[SegmentInfo] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    participant: str | None
    characters: int
    codings: int
    mine: int
    coded_share: float


@dataclass(frozen=True)
class ParticipantRow:
    label: str
    documents: list[str]
    attributes: dict[str, str]


# -- the codebook ---------------------------------------------------------------------------------
def codebook_entries(s: Session) -> list[CodeEntry]:
    """Every code, parents before children, siblings in codebook order."""
    codes = s.scalars(select(Code)).all()
    paths = code_paths(s)
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    out: list[CodeEntry] = []
    seen: set[int] = set()

    def walk(parent: int | None) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: (c.position, c.name, c.id)):
            if code.id in seen:
                continue
            seen.add(code.id)
            out.append(
                CodeEntry(
                    id=code.id,
                    parent_id=code.parent_id,
                    name=code.name,
                    path=paths[code.id],
                    colour=code.colour,
                    shortcut=code.shortcut,
                    position=code.position,
                    description=code.description,
                )
            )
            walk(code.id)

    walk(None)
    return out


def code_counts(
    s: Session, *, coder: str | None = None, document_id: int | None = None
) -> dict[int, int]:
    """Number of codings per code id, optionally for one coder and/or one document."""
    stmt = select(Coding.code_id, func.count()).group_by(Coding.code_id)
    if coder is not None:
        stmt = stmt.join(Coder, Coding.coder_id == Coder.id).where(Coder.name == coder)
    if document_id is not None:
        stmt = stmt.where(Coding.document_id == document_id)
    return {code_id: n for code_id, n in s.execute(stmt)}


# -- documents and codings ------------------------------------------------------------------------
def load_document(s: Session, document_id: int) -> DocumentData:
    """A document's text, participant, speaker turns and sentences."""
    doc = s.get(Document, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id}")
    rows = s.execute(
        select(Segment.kind, Segment.start, Segment.end, Segment.speaker)
        .where(Segment.document_id == document_id, Segment.kind.in_(("turn", "sentence")))
        .order_by(Segment.start, Segment.end)
    )
    turns: list[SegmentInfo] = []
    sentences: list[SegmentInfo] = []
    for kind, start, end, speaker in rows:
        (turns if kind == "turn" else sentences).append(SegmentInfo(kind, start, end, speaker))
    return DocumentData(
        id=doc.id,
        name=doc.name,
        text=doc.text,
        participant=doc.participant.label if doc.participant else None,
        turns=turns,
        sentences=sentences,
    )


def document_codings(
    s: Session, document_id: int, ids: Collection[int] | None = None
) -> list[CodingInfo]:
    """All coders' codings of one document (or only those with these ids), in offset order."""
    stmt = (
        select(
            Coding.id,
            Coding.code_id,
            Coding.coder_id,
            Coder.name,
            Coding.start,
            Coding.end,
        )
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coding.document_id == document_id)
        .order_by(Coding.start, Coding.end, Coding.id)
    )
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(Coding.id.in_(list(ids)))
    rows = s.execute(stmt).all()
    memos = coding_memos(s, [r[0] for r in rows])
    return [
        CodingInfo(cid, document_id, code_id, coder_id, coder, start, end, memos.get(cid))
        for cid, code_id, coder_id, coder, start, end in rows
    ]


#: what a coding is, short of its memo: (code, coder, start, end)
CodingKey = tuple[int, int, int, int]


def document_coding_keys(s: Session, document_id: int) -> dict[int, CodingKey]:
    """Id -> (code, coder, start, end) of all coders' codings of one document: a cheap way to
    see what changed (a deleted row's id can come back for a new one, so ids alone are not)."""
    stmt = select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end).where(
        Coding.document_id == document_id
    )
    return {cid: (code, coder, start, end) for cid, code, coder, start, end in s.execute(stmt)}


def document_rows(s: Session, coder: str | None = None) -> list[DocumentRow]:
    """Per document: participant, length, codings (all and ``coder``'s), share of text coded."""
    spans: dict[int, list[tuple[int, int]]] = {}
    mine: Counter[int] = Counter()
    stmt = select(Coding.document_id, Coding.start, Coding.end, Coder.name).join(
        Coder, Coding.coder_id == Coder.id
    )
    for doc_id, start, end, name in s.execute(stmt):
        spans.setdefault(doc_id, []).append((start, end))
        if name == coder:
            mine[doc_id] += 1
    stmt2 = (
        select(Document.id, Document.name, func.length(Document.text), Participant.label)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name)
    )
    out = []
    for doc_id, name, length, label in s.execute(stmt2):
        doc_spans = spans.get(doc_id, [])
        out.append(
            DocumentRow(
                id=doc_id,
                name=name,
                participant=label,
                characters=length,
                codings=len(doc_spans),
                mine=mine[doc_id],
                coded_share=merged_length(doc_spans) / length if length else 0.0,
            )
        )
    return out


def participant_rows(s: Session) -> tuple[list[str], list[ParticipantRow]]:
    """Attribute names, and every participant with documents and attribute values as text."""
    names = list(s.scalars(select(Attribute.name).order_by(Attribute.name)).all())
    docs: dict[int, list[str]] = {}
    for pid, dname in s.execute(
        select(Document.participant_id, Document.name).order_by(Document.name)
    ):
        if pid is not None:
            docs.setdefault(pid, []).append(dname)
    values: dict[int, dict[str, str]] = {}
    for value in s.scalars(select(AttributeValue).join(Attribute)).all():
        values.setdefault(value.participant_id, {})[value.attribute.name] = _text(value.value)
    rows = [
        ParticipantRow(label, docs.get(pid, []), values.get(pid, {}))
        for pid, label in s.execute(
            select(Participant.id, Participant.label).order_by(Participant.label)
        )
    ]
    return names, rows


def _text(value: str | float | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def coder_names(s: Session) -> list[str]:
    return list(s.scalars(select(Coder.name).order_by(Coder.name)).all())


# -- settings -------------------------------------------------------------------------------------
def get_setting(s: Session, key: str) -> str | None:
    setting = s.get(Setting, key)
    return setting.value if setting is not None else None


def set_setting(s: Session, key: str, value: str) -> None:
    setting = s.get(Setting, key)
    if setting is None:
        s.add(Setting(key=key, value=value))
    else:
        setting.value = value


# -- spans of text --------------------------------------------------------------------------------
def turn_body_start(text: str, start: int, end: int, speaker: str | None) -> int:
    """Where a speaker turn's words begin: after a leading ``Speaker:`` label, if there is one."""
    pos = start
    if speaker and text.startswith(speaker, start):
        after = start + len(speaker)
        if after < end and text[after] in ":：":
            pos = after + 1
            while pos < end and text[pos].isspace():
                pos += 1
    return pos


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without white space at either end; None when nothing but white space is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def next_word_end(text: str, pos: int) -> int:
    """The end of the next word at or after ``pos`` (skipping what is between words)."""
    n = len(text)
    while pos < n and not _is_word(text[pos]):
        pos += 1
    while pos < n and _is_word(text[pos]):
        pos += 1
    return pos


def previous_word_start(text: str, pos: int) -> int:
    """The start of the word before ``pos``."""
    while pos > 0 and not _is_word(text[pos - 1]):
        pos -= 1
    while pos > 0 and _is_word(text[pos - 1]):
        pos -= 1
    return pos


def previous_word_end(text: str, pos: int) -> int:
    """The end of the word before the last word ending at or before ``pos``."""
    return _skip_back_space(text, previous_word_start(text, pos))


def next_word_start(text: str, pos: int) -> int:
    """The start of the word after the one at ``pos``."""
    n = len(text)
    while pos < n and _is_word(text[pos]):
        pos += 1
    while pos < n and not _is_word(text[pos]):
        pos += 1
    return pos


def _skip_back_space(text: str, pos: int) -> int:
    while pos > 0 and not _is_word(text[pos - 1]):
        pos -= 1
    return pos


def resized_span(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int] | None:
    """A coding's span with one edge moved by a word (``step`` 1 = right, -1 = left).

    Returns None when the move is impossible (past the text's ends, or the span would vanish).
    """
    if edge == "end":
        new_end = next_word_end(text, end) if step > 0 else previous_word_end(text, end)
        new = (start, new_end)
    elif edge == "start":
        new_start = previous_word_start(text, start) if step < 0 else next_word_start(text, start)
        new = (new_start, end)
    else:
        raise QualcodeError(f"edge is 'start' or 'end', not {edge!r}")
    if new[0] >= new[1] or new == (start, end):
        return None
    return new
