"""Importing a REFI-QDA project (.qdpx) into a qualcode project, as one transaction.

The archive is read and checked completely before the store is touched: a hostile or broken
file raises QualcodeError and leaves the project as it was. Merging into a non-empty project
reuses documents with the same text (sha256 of the normalised text), codes with the same path,
coders, participants, attributes and groups with the same name.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.coding.codes import NewCode, code_paths, insert_codes, join_path
from qualcode.coding.codings import CodingSpec, insert_codings
from qualcode.errors import QualcodeError
from qualcode.ingest.importer import add_document, record_segmenter_version_if_new, text_sha256
from qualcode.ingest.readers import RawTranscript
from qualcode.ingest.safe_zip import SafeZip, folder_of
from qualcode.ingest.segment import with_sentences
from qualcode.interop.refi.cases_import import import_cases
from qualcode.interop.refi.groups import merge_group
from qualcode.interop.refi.import_state import DEFAULT_CODER, ImportState
from qualcode.interop.refi.model import RefiCoding
from qualcode.interop.refi.notes_import import import_notes
from qualcode.interop.refi.project_read import read_project
from qualcode.interop.refi.report import RefiImportReport
from qualcode.interop.refi.texts import PreparedSource, member_text, prepare_sources
from qualcode.interop.refi.xml_read import parse_xml
from qualcode.nlp.turn_finder import TurnRules
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Code, Document, Segment

SOURCE_FORMAT = "qdpx"
MAX_DOC_NAME = 255


def import_qdpx(
    project: Project,
    path: str | Path,
    *,
    actor: str,
    unflatten: bool = False,
    default_coder: str | None = None,
    rules: TurnRules | None = None,
) -> RefiImportReport:
    """Import a .qdpx; returns what was imported and what could not be."""
    what = Path(path).name
    report = RefiImportReport(file=what)
    with SafeZip(path) as archive:
        qde = find_qde(archive)
        base = folder_of(qde)
        info = archive.find(qde)
        assert info is not None
        proj = read_project(parse_xml(archive.read(info), what), unflatten=unflatten, what=what)
        report.origin = proj.origin
        prepared = prepare_sources(proj, archive, base, what, report.notes)
        note_texts = {
            n.key: member_text(archive, base, n.plain_path)[0] for n in proj.notes if n.plain_path
        }
    report.notes.extend(proj.codes.notes)
    report.not_imported.update(proj.skipped)
    with project.write() as s:
        state = ImportState(s, proj, report, actor, default_coder or DEFAULT_CODER)
        state.add_coders()
        _add_codes(state)
        new_docs = _add_documents(state, prepared)
        _add_codings(state, prepared)
        import_notes(state, prepared, note_texts)
        import_cases(state)
        _add_sets(state)
        _segment(s, new_docs, rules)
        if state.defaulted:
            report.notes.append(
                f"{state.defaulted} coding(s) or note(s) name no user: given coder "
                f"{state.default_coder!r}"
            )
        audit(
            s,
            actor,
            "import",
            "qdpx",
            None,
            file=str(path),
            origin=proj.origin,
            documents=len(report.documents_added),
            codes=report.codes_added,
            codings=report.codings_added,
        )
    return report


def find_qde(archive: SafeZip) -> str:
    """The project XML: ``project.qde`` (any case), else the only ``.qde`` in the archive."""
    qdes = [n for n in archive.names() if n.lower().endswith(".qde")]
    top = [n for n in qdes if "/" not in n]
    named = [n for n in top if n.lower() == "project.qde"]
    for choice in (named, top, qdes):
        if len(choice) == 1:
            return choice[0]
    if not qdes:
        raise QualcodeError(f"{archive.label}: not a REFI-QDA project (no project.qde inside)")
    raise QualcodeError(f"{archive.label}: several .qde files; cannot tell which is the project")


def _add_codes(state: ImportState) -> None:
    """The file's codes that the project lacks (matched by path), added in a few statements
    (:func:`~qualcode.coding.codes.insert_codes`)."""
    s = state.s
    ids = {path: cid for cid, path in code_paths(s).items()}
    taken = set(s.scalars(select(Code.guid)).all())
    next_position: dict[int | None, int] = {}
    new: list[NewCode] = []
    positions: dict[str, int] = {}  # a new parent's next child position
    for path, node in state.proj.codes.walk():
        key = join_path(path)
        if key in ids:
            state.report.codes_reused += 1
            continue
        parent_key = join_path(path[:-1]) if len(path) > 1 else None
        if parent_key is not None and parent_key not in ids:  # a new parent: children from 0
            position = positions.get(parent_key, 0)
            positions[parent_key] = position + 1
        else:
            parent = ids[parent_key] if parent_key is not None else None
            if parent not in next_position:
                under = Code.parent_id.is_(None) if parent is None else Code.parent_id == parent
                rows = s.scalars(select(Code.position).where(under)).all()
                next_position[parent] = max(rows, default=-1) + 1
            position = next_position[parent]
            next_position[parent] += 1
        guid = node.guid if node.guid and node.guid not in taken else str(uuid.uuid4())
        taken.add(guid)
        values = {
            "name": node.name,
            "description": node.description,
            "inclusion": node.inclusion,
            "exclusion": node.exclusion,
            "example": node.example,
            "colour": node.colour,
            "position": position,
            "guid": guid,
        }
        new.append((key, parent_key, values))
        state.report.codes_added += 1
    insert_codes(s, new, ids, actor=state.actor, source="qdpx")
    state.code_of_guid = {g: ids[join_path(p)] for g, p in state.proj.codes.paths.items()}


def _add_documents(state: ImportState, prepared: list[PreparedSource]) -> list[Document]:
    s = state.s
    by_hash = dict(s.execute(select(Document.sha256, Document.id)).all())
    names = set(s.scalars(select(Document.name)).all())
    new: list[Document] = []
    for prep in prepared:
        source = prep.source
        digest = text_sha256(prep.text)
        label = source.name or Path(source.plain_path).name or f"source {source.key[:8]}"
        if source.selections and prep.fit is not None:
            state.report.positions.append(
                {
                    "source": label,
                    "counting": prep.counting.describe(prep.had_crlf),
                    "edges_ok": prep.fit.edges_ok,
                    "edges": prep.fit.edges,
                    "names_ok": prep.fit.names_ok,
                }
            )
        if digest in by_hash:
            state.doc_of_source[source.key] = by_hash[digest]
            state.report.documents_reused.append(label)
            continue
        name = _unique_name(" ".join(label.split())[:MAX_DOC_NAME], names)
        names.add(name)
        doc = add_document(
            s,
            name=name,
            text=prep.text,
            sha256=digest,
            source_name=f"{state.report.file}:{source.plain_path or source.key}"[:1024],
            source_format=SOURCE_FORMAT,
        )
        by_hash[digest] = doc.id
        state.doc_of_source[source.key] = doc.id
        state.report.documents_added.append(name)
        audit(s, state.actor, "import", "document", doc.id, name=name, source=doc.source_name)
        new.append(doc)
    return new


def _add_codings(state: ImportState, prepared: list[PreparedSource]) -> None:
    s = state.s
    specs: list[CodingSpec] = []
    refs: list[RefiCoding] = []
    unknown = 0
    for prep in prepared:
        source = prep.source
        doc_id = state.doc_of_source[source.key]
        spans = [(a, b, sel.codings, sel.description, sel.user) for sel, a, b in prep.spans]
        spans.append((0, len(prep.text), source.codings, "", ""))
        for start, end, codings, memo, sel_user in spans:
            for rc in codings:
                code_id = state.code_of_guid.get(rc.code)
                if code_id is None:
                    unknown += 1
                    continue
                coder_id = state.coder_for(rc.user, sel_user)
                spec = CodingSpec(doc_id, code_id, coder_id, start, end, created_at=rc.created)
                specs.append(spec.with_memo(memo))
                refs.append(rc)
    ids, added = insert_codings(s, specs, state.actor, via="REFI-QDA import")
    state.report.codings_added += len(added)
    state.report.codings_already_there += len(specs) - len(added)
    for rc, coding_id in zip(refs, ids, strict=True):
        state.codings[id(rc)] = coding_id
    if unknown:
        state.report.not_imported["codings of codes not in the codebook"] += unknown


def _add_sets(state: ImportState) -> None:
    report = state.report
    for rs in state.proj.sets:
        codes = [state.code_of_guid[k] for k in rs.code_refs if k in state.code_of_guid]
        docs = [state.doc_of_source[k] for k in rs.source_refs if k in state.doc_of_source]
        missing = len(rs.code_refs) - len(codes) + len(rs.source_refs) - len(docs)
        if missing:
            report.not_imported["set members that were not imported"] += missing
        if rs.note_refs:
            report.not_imported["notes as set members"] += rs.note_refs
        kinds = []
        if rs.code_refs or not rs.source_refs:
            kinds.append(("code", codes))
        if rs.source_refs:
            kinds.append(("document", docs))
        for n, (kind, members) in enumerate(kinds):
            guid = rs.guid if n == 0 else f"{rs.guid}:documents"
            created, added = merge_group(
                state.s,
                kind=kind,
                name=rs.name,
                description=rs.description,
                guid=guid,
                members=members,
            )
            report.groups_added += created
            report.groups_reused += not created
            report.group_members_added += added


def _segment(s: Session, docs: list[Document], rules: TurnRules | None) -> None:
    """Turns, paragraphs and sentences of the new documents, like any import."""
    items = ((RawTranscript(text=d.text, format=SOURCE_FORMAT), d.id) for d in docs)
    for rows, doc_id in with_sentences(items, rules):
        if rows:
            s.execute(insert(Segment), [r.as_dict(doc_id) for r in rows])
    record_segmenter_version_if_new(s, [d.id for d in docs])


def _unique_name(name: str, taken: set[str]) -> str:
    name = name or "source"
    if name not in taken:
        return name
    name = name[: MAX_DOC_NAME - 8]
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"
