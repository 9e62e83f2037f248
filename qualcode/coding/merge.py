"""Merging another project's coders, codings and memos into this one.

Coders often code separate copies of a project. Documents are matched by the SHA-256 of their
text, codes by path (``Parent/Child``); codes missing here are added, coders by name. Codings
and memos already here are not added again, so merging twice is harmless. The merge is one
transaction: on any error nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths, new_guid
from qualcode.coding.codings import CodingSpec, insert_codings
from qualcode.errors import QualcodeError
from qualcode.store.audit import audit
from qualcode.store.db import Project, mask_password, open_project
from qualcode.store.models import Code, Coder, Coding, Document, Memo


@dataclass
class ProjectMergeReport:
    coders: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_already_there: int = 0
    memos_added: int = 0
    unmatched_documents: list[tuple[str, int]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "coders": self.coders,
            "codes_added": self.codes_added,
            "codings_added": self.codings_added,
            "codings_already_there": self.codings_already_there,
            "memos_added": self.memos_added,
            "unmatched_documents": [
                {"document": name, "codings_not_merged": n} for name, n in self.unmatched_documents
            ],
        }


@dataclass
class _Source:
    docs: dict[int, tuple[str, str]]  # id -> (sha256, name)
    paths: dict[int, str]
    codes: dict[int, Code]
    coders: dict[int, str]
    codings: list[Coding]
    memos: list[Memo]


def _read_source(other: Project) -> _Source:
    with other.session() as s:
        return _Source(
            docs={
                d.id: (d.sha256, d.name)
                for d in s.execute(select(Document.id, Document.sha256, Document.name))
            },
            paths=code_paths(s),
            codes={c.id: c for c in s.scalars(select(Code))},
            coders={c.id: c.name for c in s.scalars(select(Coder))},
            codings=list(s.scalars(select(Coding).order_by(Coding.id))),
            memos=list(s.scalars(select(Memo).order_by(Memo.id))),
        )


def merge_projects(
    target: Project, other_location: str | Path, *, actor: str
) -> ProjectMergeReport:
    if target.url == _url_of(other_location):
        raise QualcodeError("cannot merge a project into itself")
    other = open_project(other_location, upgrade=False)
    try:
        source = _read_source(other)
    finally:
        other.dispose()
    report = ProjectMergeReport()
    with target.write() as s:
        _merge(s, source, report, actor)
        audit(
            s,
            actor,
            "merge",
            "project",
            None,
            source=mask_password(str(other_location)),
            codings=report.codings_added,
            memos=report.memos_added,
        )
    return report


def _url_of(location: str | Path) -> str:
    from qualcode.store.db import resolve_url

    return resolve_url(location)


def _merge(s: Session, src: _Source, report: ProjectMergeReport, actor: str) -> None:
    doc_by_sha = {sha: i for i, sha in s.execute(select(Document.id, Document.sha256))}
    doc_map = {sid: doc_by_sha.get(sha) for sid, (sha, _name) in src.docs.items()}
    code_map = _merge_codes(s, src, report, actor)
    coder_map = {}
    for sid, name in src.coders.items():
        coder_map[sid] = get_or_create_coder(s, name).id
    unmatched: dict[int, int] = {}
    used_coders: set[str] = set()
    specs: list[CodingSpec] = []
    source_ids: list[int] = []
    lengths: dict[int, int] = {}
    for c in src.codings:
        doc_id = doc_map.get(c.document_id)
        if doc_id is None:
            unmatched[c.document_id] = unmatched.get(c.document_id, 0) + 1
            continue
        used_coders.add(src.coders[c.coder_id])
        if doc_id not in lengths:
            lengths[doc_id] = s.get_one(Document, doc_id).length
        if c.end > lengths[doc_id]:
            name = src.docs[c.document_id][1]
            raise QualcodeError(f"coding {c.id} of the other project ends outside {name}")
        spec = CodingSpec(
            doc_id,
            code_map[c.code_id],
            coder_map[c.coder_id],
            c.start,
            c.end,
            created_at=c.created_at,
        )
        specs.append(spec)
        source_ids.append(c.id)
    ids, added = insert_codings(s, specs, actor, via="merge")
    coding_map = dict(zip(source_ids, ids, strict=True))
    report.codings_added += len(added)
    report.codings_already_there += len(specs) - len(added)
    report.coders = sorted(used_coders)
    report.unmatched_documents = [(src.docs[d][1], n) for d, n in sorted(unmatched.items())]
    _merge_memos(s, src, report, doc_map, code_map, coder_map, coding_map)


def _merge_codes(
    s: Session, src: _Source, report: ProjectMergeReport, actor: str
) -> dict[int, int]:
    here = {path: cid for cid, path in code_paths(s).items()}
    guids = set(s.scalars(select(Code.guid)))
    keys = set(s.scalars(select(Code.key).where(Code.key.is_not(None))))
    mapping: dict[int, int] = {}
    for sid in sorted(src.codes, key=lambda i: src.paths[i].count("/")):
        path = src.paths[sid]
        if path in here:
            mapping[sid] = here[path]
            continue
        code = src.codes[sid]
        parent_id = mapping[code.parent_id] if code.parent_id is not None else None
        new = Code(
            parent_id=parent_id,
            name=code.name,
            description=code.description,
            inclusion=code.inclusion,
            exclusion=code.exclusion,
            example=code.example,
            colour=code.colour,
            key=code.key if code.key not in keys else None,
            position=code.position,
            guid=code.guid if code.guid not in guids else new_guid(),
        )
        s.add(new)
        s.flush()
        guids.add(new.guid)
        if new.key:
            keys.add(new.key)
        here[path] = mapping[sid] = new.id
        report.codes_added.append(path)
        audit(s, actor, "add", "code", new.id, path=path, via="merge")
    return mapping


def _merge_memos(
    s: Session,
    src: _Source,
    report: ProjectMergeReport,
    doc_map: dict[int, int | None],
    code_map: dict[int, int],
    coder_map: dict[int, int],
    coding_map: dict[int, int],
) -> None:
    def target_of(m: Memo) -> tuple[int | None, int | None, int | None] | None:
        if m.document_id is not None:
            d = doc_map.get(m.document_id)
            return None if d is None else (d, None, None)
        if m.code_id is not None:
            return (None, code_map[m.code_id], None)
        if m.coding_id is not None:
            c = coding_map.get(m.coding_id)
            return None if c is None else (None, None, c)
        return (None, None, None)

    have = {
        (m.document_id, m.code_id, m.coding_id, m.coder_id, m.title, m.body, m.start, m.end)
        for m in s.scalars(select(Memo))
    }
    for m in src.memos:
        target = target_of(m)
        if target is None:
            continue
        coder_id = coder_map.get(m.coder_id) if m.coder_id is not None else None
        key = (*target, coder_id, m.title, m.body, m.start, m.end)
        if key in have:
            continue
        s.add(
            Memo(
                document_id=target[0],
                code_id=target[1],
                coding_id=target[2],
                coder_id=coder_id,
                title=m.title,
                body=m.body,
                start=m.start,
                end=m.end,
                decision=_decision_here(m.decision, doc_map, code_map),
                created_at=m.created_at,
                updated_at=m.updated_at,
            )
        )
        have.add(key)
        report.memos_added += 1
    s.flush()


def _decision_here(
    decision: dict[str, Any] | None, doc_map: dict[int, int | None], code_map: dict[int, int]
) -> dict[str, Any] | None:
    """An adjudication decision (Memo.decision) with this project's document and code ids;
    None when its document is not here."""
    if not decision:
        return None
    try:
        document_id = doc_map.get(int(decision["document_id"]))
        code_id = code_map.get(int(decision["code_id"]))
    except (KeyError, TypeError, ValueError):
        return None
    if document_id is None or code_id is None:
        return None
    return {**decision, "document_id": document_id, "code_id": code_id}
