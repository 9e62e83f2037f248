"""Auto-coding: find every hit of a search, widen it to its unit, preview, then apply.

A query is a word or phrase (``--search``: case-insensitive, whole words, ``*`` at the end of
a word matches any ending), a regular expression, a spaCy Matcher pattern (token patterns as
JSON, run on ``spacy.blank("en")``), or a speaker alone (every turn of that speaker). A speaker
given with a search keeps only the hits inside that speaker's turns.

Each hit is widened to every unit it touches (``sentence``, ``turn`` or ``paragraph`` segment;
``hit`` keeps the matched text itself). Units hit several times are listed once. A unit that
already lies inside the coder's codings with the code (one coding, or several that together
cover it) is marked already coded and is never coded again. Nothing is written until
:func:`apply_autocode`, which adds the whole batch as ONE undoable change.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Span, merge_spans
from qualcode.analysis.units import document_units, units_touched
from qualcode.coding.codes import code_paths, get_code
from qualcode.coding.edits import AddCodings, NewCoding
from qualcode.coding.history import History
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.nlp.sentences import pieces
from qualcode.nlp.turn_finder import find_turns
from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Coding, Document, Participant, Segment

UNITS = ("sentence", "turn", "paragraph", "hit")
#: Token attributes that need a trained pipeline; spacy.blank("en") leaves them empty.
NEEDS_MODEL = frozenset(
    {"POS", "TAG", "DEP", "LEMMA", "MORPH", "ENT_TYPE", "ENT_IOB", "SENT_START"}
)


@dataclass(frozen=True)
class AutocodeQuery:
    """What to look for. Give one of ``search``/``regex``/``pattern``, or ``speaker`` alone."""

    search: str | None = None
    regex: str | None = None
    pattern: str | None = None
    speaker: str | None = None
    case_sensitive: bool = False

    def describe(self) -> str:
        parts = []
        if self.search:
            parts.append(f"search {self.search!r}")
        if self.regex:
            parts.append(f"regex {self.regex!r}")
        if self.pattern:
            parts.append(f"pattern {self.pattern}")
        if self.speaker:
            parts.append(f"speaker {self.speaker}")
        return ", ".join(parts)

    def check(self) -> None:
        given = [q for q in (self.search, self.regex, self.pattern) if q is not None]
        if len(given) > 1:
            raise QualcodeError("give one of search, regex or pattern, not several")
        if not given and not (self.speaker and self.speaker.strip()):
            raise QualcodeError("give a search, a regex, a pattern or a speaker")
        if any(not q.strip() for q in given):
            raise QualcodeError("the search is empty")


def search_regex(text: str, case_sensitive: bool = False) -> re.Pattern[str]:
    """Whole words, white space loose, ``*`` at a word's end for any ending (``plea*``)."""
    words = text.split()
    parts = []
    for w in words:
        stem = w.rstrip("*")
        if not stem:
            raise QualcodeError("'*' must follow some letters, as in plea*")
        parts.append(re.escape(stem) + (r"\w*" if w.endswith("*") else ""))
    body = r"\s+".join(parts)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def compile_regex(text: str, case_sensitive: bool = False) -> re.Pattern[str]:
    try:
        return re.compile(text, 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise QualcodeError(f"bad regular expression {text!r}: {exc}") from None


def parse_pattern(text: str) -> list[list[dict[str, Any]]]:
    """One token pattern (a list of token dicts) or several (a list of such lists)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QualcodeError(f"pattern is not valid JSON: {exc.msg} at column {exc.colno}") from None
    if isinstance(data, list) and data and all(isinstance(t, dict) for t in data):
        patterns = [data]
    elif (
        isinstance(data, list)
        and data
        and all(isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in data)
    ):
        patterns = data
    else:
        raise QualcodeError(
            'pattern must be a JSON list of token objects, e.g. [{"LOWER": "plea"}]'
        )
    for p in patterns:
        for token in p:
            used = {str(k).upper() for k in token} & NEEDS_MODEL
            if used:
                raise QualcodeError(
                    f"pattern uses {', '.join(sorted(used))}, which needs a trained model; "
                    "use token text attributes such as LOWER, TEXT, REGEX, IS_DIGIT, LIKE_NUM"
                )
    return patterns


class _Matcher:
    """spaCy's rule-based Matcher on the blank English tokenizer, giving character spans."""

    def __init__(self, pattern_text: str) -> None:
        import spacy
        from spacy.matcher import Matcher

        self.nlp = spacy.blank("en")
        self.nlp.max_length = 10_000_000
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        try:
            self.matcher.add("AUTOCODE", parse_pattern(pattern_text))
        except (ValueError, TypeError, KeyError) as exc:
            first = (str(exc).strip().splitlines() or ["invalid pattern"])[0]
            raise QualcodeError(f"spaCy cannot use this pattern: {first}") from None

    def spans(self, text: str) -> list[Span]:
        """Character spans of the matches; a text over ``max_length`` is matched in pieces cut
        at paragraph breaks (see :func:`qualcode.nlp.sentences.pieces`)."""
        out = set()
        for offset, stop in pieces(text, self.nlp.max_length):
            doc = self.nlp.make_doc(text[offset:stop])
            for _id, start, end in self.matcher(doc):
                span = doc[start:end]
                if span.end_char > span.start_char:
                    out.add((offset + span.start_char, offset + span.end_char))
        return sorted(out)


@dataclass(frozen=True)
class PreviewItem:
    """One unit to be coded, with the hits that led to it."""

    document_id: int
    document: str
    participant: str | None
    start: int
    end: int
    text: str
    hits: tuple[Span, ...]
    hit_texts: tuple[str, ...]
    already_coded: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "document_id": self.document_id,
            "document": self.document,
            "participant": self.participant,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "hits": [
                {"start": a, "end": b, "text": t}
                for (a, b), t in zip(self.hits, self.hit_texts, strict=True)
            ],
            "already_coded": self.already_coded,
        }


@dataclass
class AutocodePreview:
    """What an auto-code run would code. Nothing has been written yet."""

    query: AutocodeQuery
    unit: str
    code_id: int | None
    code: str | None
    coder: str | None
    items: list[PreviewItem] = field(default_factory=list)
    hits: int = 0
    outside_units: int = 0
    documents_searched: int = 0

    @property
    def new_items(self) -> list[PreviewItem]:
        return [i for i in self.items if not i.already_coded]

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query.describe(),
            "unit": self.unit,
            "code": self.code,
            "coder": self.coder,
            "documents_searched": self.documents_searched,
            "hits": self.hits,
            "outside_units": self.outside_units,
            "units": len(self.items),
            "new": len(self.new_items),
            "items": [i.as_json() for i in self.items],
        }


def preview_autocode(
    s: Session,
    query: AutocodeQuery,
    *,
    unit: str = "sentence",
    documents: Sequence[str | int] = (),
    code: str | int | None = None,
    coder: str | None = None,
) -> AutocodePreview:
    """Find, widen and dedupe; mark the units that lie inside the coder's codings with the
    code (already coded)."""
    query.check()
    unit = unit.strip().lower()
    if unit not in UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    code_obj = get_code(s, code) if code is not None else None
    paths = code_paths(s) if code_obj is not None else {}
    stmt = (
        select(Document.id, Document.name, Document.text, Participant.label)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name)
    )
    if documents:
        stmt = stmt.where(Document.id.in_([find_document(s, d).id for d in documents]))
    docs = s.execute(stmt).all()
    preview = AutocodePreview(
        query=query,
        unit=unit,
        code_id=code_obj.id if code_obj is not None else None,
        code=paths.get(code_obj.id) if code_obj is not None else None,
        coder=coder,
        documents_searched=len(docs),
    )
    doc_ids = {d[0] for d in docs}
    turns = _speaker_turns(s, docs, query.speaker) if query.speaker else None
    if turns is not None and not any(turns.values()):
        known = list_speakers(s, doc_ids)
        raise NotFound(
            f"no turns by speaker {query.speaker!r}; speakers: {', '.join(known[:12]) or 'none'}"
        )
    finder = _finder(query)
    units = document_units(s, unit, doc_ids) if unit != "hit" else {}
    coded = _coded(s, code_obj.id, coder, doc_ids) if code_obj is not None and coder else {}
    for doc_id, name, text, label in docs:
        hits = finder(text) if finder is not None else []
        if turns is not None:
            spk = turns[doc_id]
            hits = [h for h in hits if _inside(h, spk)] if finder is not None else list(spk)
        preview.hits += len(hits)
        found: dict[Span, list[Span]] = {}
        if unit == "hit":
            for h in hits:
                found.setdefault(h, []).append(h)
        else:
            spans = units[doc_id]
            starts = [a for a, _b in spans]
            for h in hits:
                touched = units_touched(spans, starts, h)
                if not touched:
                    preview.outside_units += 1
                for i in touched:
                    found.setdefault(spans[i], []).append(h)
        for (a, b), hs in sorted(found.items()):
            preview.items.append(
                PreviewItem(
                    document_id=doc_id,
                    document=name,
                    participant=label,
                    start=a,
                    end=b,
                    text=text[a:b],
                    hits=tuple(sorted(set(hs))),
                    hit_texts=tuple(text[x:y] for x, y in sorted(set(hs))),
                    already_coded=_covered(coded.get(doc_id, []), (a, b)),
                )
            )
    return preview


def autocode_edit(
    project: Project, preview: AutocodePreview, *, coder: str, code: int | None = None
) -> AddCodings:
    """The edit with which ``coder`` codes the preview's units: ONE undoable change, each new
    coding's audit record naming the query. Units already coded (inside the coder's codings
    with the code) are left out."""
    code_id = code if code is not None else preview.code_id
    if code_id is None:
        raise QualcodeError("choose the code to apply")
    with project.session() as s:
        if s.get(Code, code_id) is None:
            raise NotFound(f"no code with id {code_id}")
        path = code_paths(s)[code_id]
    same = code_id == preview.code_id and coder == preview.coder
    items = preview.new_items if same else preview.items
    spans = tuple(NewCoding(i.document_id, code_id, i.start, i.end) for i in items)
    return AddCodings(
        spans,
        label=f"auto-code {path} ({len(spans)} units)",
        context=(("via", "auto-code"), ("query", preview.query.describe()), ("unit", preview.unit)),
    )


def apply_autocode(
    history: History, preview: AutocodePreview, *, code: int | None = None
) -> list[int]:
    """Code every new unit of the preview as the history's coder; returns the new codings' ids."""
    edit = autocode_edit(history.project, preview, code=code, coder=history.coder)
    if not edit.codings:
        return []
    return list(history.apply(edit).added)


def _finder(query: AutocodeQuery) -> Callable[[str], list[Span]] | None:
    if query.pattern is not None:
        return _Matcher(query.pattern).spans
    if query.search is not None:
        rx = search_regex(query.search, query.case_sensitive)
    elif query.regex is not None:
        rx = compile_regex(query.regex, query.case_sensitive)
    else:
        return None

    def find(text: str) -> list[Span]:
        return [(m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start()]

    return find


def _speaker_turns(
    s: Session, docs: Sequence[tuple[int, str, str, str | None]], speaker: str
) -> dict[int, list[Span]]:
    """Each document's turns by ``speaker`` (compared without case), from stored segments or,
    for a document without them, cut on the fly."""
    wanted = speaker.strip().casefold()
    out: dict[int, list[Span]] = {d[0]: [] for d in docs}
    stored: set[int] = set()
    rows = s.execute(
        select(Segment.document_id, Segment.start, Segment.end, Segment.speaker)
        .where(Segment.kind == "turn", Segment.document_id.in_(list(out)))
        .order_by(Segment.document_id, Segment.start)
    )
    for doc_id, start, end, spk in rows:
        stored.add(doc_id)
        if (spk or "").casefold() == wanted:
            out[doc_id].append((start, end))
    for doc_id, _name, text, _label in docs:
        if doc_id not in stored:
            out[doc_id] = [
                (t.start, t.end) for t in find_turns(text) if t.speaker.casefold() == wanted
            ]
    return out


def list_documents(s: Session) -> list[tuple[int, str]]:
    """(id, name) of every document, by name: the scopes an auto-code run can have."""
    return [
        (i, n) for i, n in s.execute(select(Document.id, Document.name).order_by(Document.name))
    ]


def list_speakers(s: Session, doc_ids: set[int] | None = None) -> list[str]:
    """The speakers of the stored turns (of some documents, or of all)."""
    stmt = select(Segment.speaker).where(Segment.kind == "turn").distinct()
    if doc_ids is not None:
        stmt = stmt.where(Segment.document_id.in_(doc_ids))
    return sorted({r for r in s.scalars(stmt).all() if r})


def _inside(hit: Span, turns: list[Span]) -> bool:
    return any(a <= hit[0] and hit[1] <= b for a, b in turns)


def _coded(s: Session, code_id: int, coder: str, doc_ids: set[int]) -> dict[int, list[Span]]:
    """Document id -> the union of the coder's spans with the code (sorted, disjoint)."""
    rows = s.execute(
        select(Coding.document_id, Coding.start, Coding.end)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coding.code_id == code_id, Coder.name == coder, Coding.document_id.in_(doc_ids))
    )
    spans: dict[int, list[Span]] = {}
    for doc_id, start, end in rows:
        spans.setdefault(doc_id, []).append((start, end))
    return {doc_id: merge_spans(found) for doc_id, found in spans.items()}


def _covered(merged: list[Span], span: Span) -> bool:
    """Does ``span`` lie inside one of the sorted, disjoint ``merged`` spans?"""
    i = bisect_right(merged, (span[0], float("inf"))) - 1
    return i >= 0 and merged[i][0] <= span[0] and span[1] <= merged[i][1]
