"""Notes become memos, on what they annotate: the project, a code, a document or a coding.

A note is placed by the first reference to it (``NoteRef``): on the project, a code, a text
source, a selection (its first coding) or a coding. A note on something qualcode did not import
(a PDF, a video selection...), or on nothing, becomes a project memo. Descriptions of the project
and of text sources become memos too.
"""

from __future__ import annotations

from sqlalchemy import select

from qualcode.interop.refi import guids
from qualcode.interop.refi.import_state import ImportState
from qualcode.store.audit import audit
from qualcode.store.models import Memo

MAX_TITLE = 255
Target = tuple[str, int | None]  # ("project" | "document" | "code" | "coding", id)


def _targets(state: ImportState) -> dict[str, Target]:
    proj = state.proj
    found: dict[str, Target] = {}

    def put(refs: list[str], target: Target) -> None:
        for ref in refs:
            found.setdefault(guids.key(ref), target)

    put(proj.note_refs, ("project", None))
    code_at = {path: state.code_of_guid[key] for key, path in proj.codes.paths.items()}
    for path, node in proj.codes.walk():
        put(node.note_refs, ("code", code_at.get(path)))
    for source in proj.text_sources:
        doc = state.doc_of_source.get(source.key)
        put(source.note_refs, ("document", doc))
        for coding in source.codings:
            put(coding.note_refs, ("coding", state.coding_of(coding)))
        for sel in source.selections:
            rows = [r for c in sel.codings if (r := state.coding_of(c)) is not None]
            for coding in sel.codings:
                put(coding.note_refs, ("coding", state.coding_of(coding)))
            put(sel.note_refs, ("coding", rows[0]) if rows else ("document", doc))
    return found


def import_notes(state: ImportState, texts: dict[str, str | None]) -> None:
    s = state.s
    s.flush()
    targets = _targets(state)
    report = state.report
    for note in state.proj.notes:
        body = note.text if note.text is not None else texts.get(note.key)
        body = (body or "").replace("\r\n", "\n").strip()
        title = " ".join(note.name.split())[:MAX_TITLE]
        if not body and not title:
            report.not_imported["empty notes"] += 1
            continue
        kind, target = targets.get(note.key, ("project", None))
        if kind != "project" and target is None:
            report.not_imported["notes on things not imported (kept as project memos)"] += 1
            kind = "project"
        memo = _memo(state, title, body or title, kind, target, note.user)
        if memo is not None and note.created is not None:
            memo.created_at = memo.updated_at = note.created
    if state.proj.description:
        _memo(state, "Project description", state.proj.description, "project", None, "")
    for source in state.proj.text_sources:
        doc = state.doc_of_source.get(source.key)
        if source.description and doc is not None:
            _memo(state, "Source description", source.description, "document", doc, source.user)
    s.flush()


def _memo(
    state: ImportState, title: str, body: str, kind: str, target: int | None, user: str
) -> Memo | None:
    """Add a memo unless the same one is already there."""
    s = state.s
    column = {"document": Memo.document_id, "code": Memo.code_id, "coding": Memo.coding_id}
    stmt = select(Memo.id).where(Memo.title == title, Memo.body == body)
    for name, col in column.items():
        stmt = stmt.where(col == target if name == kind else col.is_(None))
    if s.scalar(stmt) is not None:
        return None
    memo = Memo(title=title, body=body, coder_id=state.coder_for(user) if user else None)
    if kind == "document":
        memo.document_id = target
    elif kind == "code":
        memo.code_id = target
    elif kind == "coding":
        memo.coding_id = target
    s.add(memo)
    s.flush()
    state.report.memos_added += 1
    audit(s, state.actor, "add", "memo", memo.id, target=kind, source="qdpx")
    return memo
