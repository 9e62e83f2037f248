"""Notes become memos, on what they annotate: the project, a code, a document, a passage of a
document (an annotation) or a coding.

A note is placed by the first reference to it (``NoteRef``): on the project, a code, a text
source, a selection (its first coding) or a coding. A selection without a coding is a comment on
a passage (MAXQDA's commented segment, ATLAS.ti's uncoded quotation): its description and its
notes become annotations on that passage, as does a note holding a selection (QualCoder's
annotation). A note on something qualcode did not import (a PDF, a video selection...), or on
nothing, becomes a project memo. Descriptions of the project and of text sources become memos too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from qualcode.interop.refi import guids
from qualcode.interop.refi.import_state import ImportState
from qualcode.interop.refi.offsets import name_matches, snippet
from qualcode.interop.refi.texts import PreparedSource
from qualcode.store.audit import audit
from qualcode.store.models import Memo

MAX_TITLE = 255


@dataclass(frozen=True)
class Target:
    kind: str  # "project" | "document" | "annotation" | "code" | "coding"
    id: int | None = None
    start: int | None = None
    end: int | None = None


PROJECT = Target("project")


def _targets(state: ImportState, prepared: list[PreparedSource]) -> dict[str, Target]:
    proj = state.proj
    found: dict[str, Target] = {}

    def put(refs: list[str], target: Target) -> None:
        for ref in refs:
            found.setdefault(guids.key(ref), target)

    put(proj.note_refs, PROJECT)
    code_at = {path: state.code_of_guid[key] for key, path in proj.codes.paths.items()}
    for path, node in proj.codes.walk():
        put(node.note_refs, Target("code", code_at.get(path)))
    for prep in prepared:
        source = prep.source
        doc = state.doc_of_source.get(source.key)
        for key, (start, end) in prep.note_spans.items():
            found.setdefault(key, Target("annotation", doc, start, end))
        put(source.note_refs, Target("document", doc))
        for coding in source.codings:
            put(coding.note_refs, Target("coding", state.coding_of(coding)))
        for sel, start, end in prep.spans:
            rows = [r for c in sel.codings if (r := state.coding_of(c)) is not None]
            for coding in sel.codings:
                put(coding.note_refs, Target("coding", state.coding_of(coding)))
            on_passage = Target("annotation", doc, start, end)
            put(sel.note_refs, Target("coding", rows[0]) if rows else on_passage)
    for source in proj.text_sources:  # sources not imported: their notes are counted below
        put(source.note_refs, Target("document", state.doc_of_source.get(source.key)))
        for sel in source.selections:
            put(sel.note_refs, Target("document", state.doc_of_source.get(source.key)))
    return found


def import_notes(
    state: ImportState, prepared: list[PreparedSource], texts: dict[str, str | None]
) -> None:
    s = state.s
    s.flush()
    targets = _targets(state, prepared)
    report = state.report
    for note in state.proj.notes:
        body = note.text if note.text is not None else texts.get(note.key)
        body = (body or "").replace("\r\n", "\n").strip()
        title = " ".join(note.name.split())[:MAX_TITLE]
        if not body and not title:
            report.not_imported["empty notes"] += 1
            continue
        if body and title == snippet(body):  # a name that only repeats the text is no title
            title = ""
        target = targets.get(note.key, PROJECT)
        if target.kind != "project" and target.id is None:
            report.not_imported["notes on things not imported (kept as project memos)"] += 1
            target = PROJECT
        _memo(state, title, body or title, target, note.user, note.created)
    _passage_comments(state, prepared)
    if state.proj.description:
        _memo(state, "Project description", state.proj.description, PROJECT, "")
    for source in state.proj.text_sources:
        doc = state.doc_of_source.get(source.key)
        if source.description and doc is not None:
            target = Target("document", doc)
            _memo(state, "Source description", source.description, target, source.user)
    s.flush()


def _passage_comments(state: ImportState, prepared: list[PreparedSource]) -> None:
    """Selections without a coding (or none imported): their description is an annotation on
    their passage; one with neither a description nor a note is counted (qualcode keeps no bare
    selections)."""
    for prep in prepared:
        doc = state.doc_of_source[prep.source.key]
        for sel, start, end in prep.spans:
            if any(state.coding_of(c) is not None for c in sel.codings):
                continue
            if not sel.description:
                if not sel.note_refs and not sel.codings:
                    state.report.not_imported["selections without a coding or a comment"] += 1
                continue
            text = prep.text[start:end]
            name = " ".join(sel.name.split())[:MAX_TITLE]
            title = "" if name == snippet(text) or name_matches(name, text) else name
            target = Target("annotation", doc, start, end)
            _memo(state, title, sel.description, target, sel.user, sel.created)


def _memo(
    state: ImportState,
    title: str,
    body: str,
    target: Target,
    user: str,
    created: dt.datetime | None = None,
) -> Memo | None:
    """Add a memo unless the same one is already there."""
    s = state.s
    kind = "document" if target.kind == "annotation" else target.kind
    column = {"document": Memo.document_id, "code": Memo.code_id, "coding": Memo.coding_id}
    stmt = select(Memo.id).where(Memo.title == title, Memo.body == body)
    if target.start is None:
        stmt = stmt.where(Memo.start.is_(None))
    else:
        stmt = stmt.where(Memo.start == target.start, Memo.end == target.end)
    for name, col in column.items():
        stmt = stmt.where(col == target.id if name == kind else col.is_(None))
    if s.scalar(stmt) is not None:
        return None
    memo = Memo(title=title, body=body, coder_id=state.coder_for(user) if user else None)
    if kind == "document":
        memo.document_id = target.id
        memo.start, memo.end = target.start, target.end
    elif kind == "code":
        memo.code_id = target.id
    elif kind == "coding":
        memo.coding_id = target.id
    if created is not None:
        memo.created_at = memo.updated_at = created
    s.add(memo)
    s.flush()
    state.report.memos_added += 1
    audit(s, state.actor, "add", "memo", memo.id, target=target.kind, source="qdpx")
    return memo
