"""A pseudonymised temporary copy of a project, the one mechanism behind every share package
(.qdpx, .xlsx, CSV, and any report): a new SQLite file in a private temporary folder (owner
only), with every accepted form replaced by its pseudonym in the documents, their names, the
speakers, memos, attribute values, participant labels, code descriptions and group names, and
every coding, segment and annotation moved to its place in the replaced text. The normal
exporters then run on the copy; the copy is removed when the block ends::

    with pseudonymised_copy(project) as copy:
        export_qdpx(copy, staged_path)

Documents, codes, codings, memos, attributes and groups are made in the copy through their
owners (:func:`qualcode.ingest.importer.add_document`, :func:`insert_codings`,
:func:`apply_codebook`, :func:`add_memo`, :func:`set_attributes`, :func:`merge_group`); the
audit log and the pseudonym list (the key) are never copied."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace as dc_replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.codebook.apply import apply_codebook, codebook_from_project
from qualcode.codebook.model import CodeSpec
from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths
from qualcode.coding.codings import CodingSpec, MemoSpec, insert_codings, specs_of
from qualcode.coding.memos import add_memo
from qualcode.errors import QualcodeError
from qualcode.ingest.attributes import ensure_participant, set_attributes
from qualcode.ingest.importer import add_document, insert_segments
from qualcode.ingest.segment import SegmentRow
from qualcode.interop.refi.groups import merge_group
from qualcode.pseudonyms.generalise import Generalisation
from qualcode.pseudonyms.replace import OffsetMap, Replacer
from qualcode.pseudonyms.review import accepted_forms
from qualcode.store.db import Project, open_project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Coder,
    Coding,
    Document,
    Group,
    Memo,
    Participant,
    Segment,
    Setting,
)
from qualcode.store.settings import PROJECT_NAME, project_name, set_setting

ACTOR = "pseudonymised copy"


def original_forms(project: Project) -> list[str]:
    """Every accepted original form: what a share package must not contain."""
    with project.session() as s:
        return sorted(accepted_forms(s))


@contextmanager
def pseudonymised_copy(
    project: Project, *, generalise: Generalisation | None = None
) -> Iterator[Project]:
    """The project's pseudonymised copy, open, for the duration of the block (see the module's
    docstring); ``generalise`` also generalises the named attributes. Refused (one line) when
    no form is accepted: such a copy would replace nothing."""
    with project.session() as s:
        forms = accepted_forms(s)
    if not forms:
        raise QualcodeError(
            "no accepted pseudonyms: run 'qualcode pseudonyms scan' and accept the identifiers "
            "first; nothing was written"
        )
    replacer = Replacer(forms)
    folder = Path(tempfile.mkdtemp(prefix="qualcode-share-"))  # mode 0700
    try:
        copy = open_project(folder / "share.db", create=True)
        try:
            with project.session() as src, copy.write() as dst:
                fill_copy(src, dst, replacer, generalise or Generalisation())
                if project_name(dst) is None:  # else every export names the temporary copy
                    unnamed = Path(project.display_name).stem
                    set_setting(dst, PROJECT_NAME, replacer(unnamed))
            yield copy
        finally:
            copy.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fill_copy(src: Session, dst: Session, rep: Replacer, general: Generalisation) -> None:
    for key, value in src.execute(select(Setting.key, Setting.value)):
        set_setting(dst, key, rep(value))
    coders = {c.id: get_or_create_coder(dst, c.name).id for c in src.scalars(select(Coder))}
    participants = _participants(src, dst, rep, general)
    codes = _codes(src, dst, rep)
    offsets: dict[int, OffsetMap] = {}
    documents = _documents(src, dst, rep, participants, offsets)
    _codings(src, dst, rep, documents, codes, coders, offsets)
    _memos(src, dst, rep, documents, codes, offsets)
    for group in src.scalars(select(Group).order_by(Group.id)):
        table = codes if group.kind == "code" else documents
        members = [m.code_id if group.kind == "code" else m.document_id for m in group.members]
        merge_group(
            dst,
            kind=group.kind,
            name=rep(group.name),
            description=rep(group.description),
            guid=group.guid,
            members=[table[m] for m in members if m is not None and m in table],
        )
    dst.flush()


def _participants(
    src: Session, dst: Session, rep: Replacer, general: Generalisation
) -> dict[int, int]:
    kinds = {n: k for n, k in src.execute(select(Attribute.name, Attribute.kind))}
    values: dict[int, list[tuple[str, str | None, str]]] = {}
    for value in src.scalars(select(AttributeValue)):
        name = value.attribute.name
        raw = general.apply(name, value.value)
        if raw is None:
            continue
        kind = "text" if general.changes_kind(name) else kinds[name]
        text = raw.isoformat() if isinstance(raw, dt.date) else _number_text(raw)
        values.setdefault(value.participant_id, []).append(
            (name, kind, rep(text) if kind == "text" else text)
        )
    out: dict[int, int] = {}
    for pid, label in src.execute(
        select(Participant.id, Participant.label).order_by(Participant.id)
    ):
        new_label = rep(label)
        if values.get(pid):
            # values checked when they entered the project (generalised ones are bands of them)
            set_attributes(dst, new_label, values[pid], actor=ACTOR, ranges={})
        out[pid] = ensure_participant(dst, new_label).id
    return out


def _number_text(value: str | float) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _codes(src: Session, dst: Session, rep: Replacer) -> dict[int, int]:
    book = codebook_from_project(src)

    def clean(spec: CodeSpec) -> CodeSpec:
        return dc_replace(
            spec,
            description=rep(spec.description),
            inclusion=rep(spec.inclusion),
            exclusion=rep(spec.exclusion),
            example=rep(spec.example),
            children=[clean(c) for c in spec.children],
        )

    book.codes = [clean(c) for c in book.codes]
    book.description = rep(book.description)
    apply_codebook(dst, book, actor=ACTOR)
    by_path = {p: i for i, p in code_paths(dst).items()}
    return {i: by_path[p] for i, p in code_paths(src).items()}


def _documents(
    src: Session,
    dst: Session,
    rep: Replacer,
    participants: dict[int, int],
    offsets: dict[int, OffsetMap],
) -> dict[int, int]:
    out: dict[int, int] = {}
    names: set[str] = set()
    docs = src.execute(
        select(
            Document.id, Document.name, Document.source_format, Document.participant_id
        ).order_by(Document.id)
    ).all()
    for doc_id, name, fmt, pid in docs:
        text = src.scalar(select(Document.text).where(Document.id == doc_id)) or ""
        replaced = rep.replace(text)
        new_name = rep(name)
        n = 2
        while new_name in names:
            new_name = f"{rep(name)} ({n})"
            n += 1
        names.add(new_name)
        doc = add_document(
            dst,
            name=new_name,
            text=replaced.text,
            source_name=new_name,
            source_format=fmt,
            participant_id=participants.get(pid) if pid is not None else None,
        )
        out[doc_id] = doc.id
        offsets[doc_id] = replaced.offsets
        rows = [
            SegmentRow(
                seg.kind,
                *_segment_span(replaced.offsets, seg.start, seg.end),
                rep.text_or_none(seg.speaker),
                seg.time_start,
                seg.time_end,
            )
            for seg in src.scalars(
                select(Segment).where(Segment.document_id == doc_id).order_by(Segment.id)
            )
        ]
        if rows:
            insert_segments(dst, doc.id, rows)
        dst.expunge(doc)
    return out


def _segment_span(offsets: OffsetMap, start: int, end: int) -> tuple[int, int]:
    if start == end:
        pos = offsets.start(start)
        return pos, pos
    return offsets.span(start, end)


def _codings(
    src: Session,
    dst: Session,
    rep: Replacer,
    documents: dict[int, int],
    codes: dict[int, int],
    coders: dict[int, int],
    offsets: dict[int, OffsetMap],
) -> None:
    ids = list(src.scalars(select(Coding.id).order_by(Coding.id)))
    specs = []
    for spec in specs_of(src, ids).values():
        start, end = offsets[spec.document_id].span(spec.start, spec.end)
        memos = tuple(
            MemoSpec(
                coders.get(m.coder_id) if m.coder_id is not None else None,
                rep(m.body),
                rep(m.title),
                m.created_at,
            )
            for m in spec.memos
        )
        specs.append(
            CodingSpec(
                documents[spec.document_id],
                codes[spec.code_id],
                coders[spec.coder_id],
                start,
                end,
                memos,
                spec.created_at,
            )
        )
    insert_codings(dst, specs, ACTOR, via="pseudonymised copy")


def _memos(
    src: Session,
    dst: Session,
    rep: Replacer,
    documents: dict[int, int],
    codes: dict[int, int],
    offsets: dict[int, OffsetMap],
) -> None:
    src_paths = code_paths(src)
    for memo in src.scalars(select(Memo).where(Memo.coding_id.is_(None)).order_by(Memo.id)):
        body = rep(memo.body)
        if not body.strip():
            continue
        coder = src.get(Coder, memo.coder_id) if memo.coder_id is not None else None
        target = "project"
        ref: str | int | None = None
        start: int | None = None
        end: int | None = None
        if memo.document_id is not None:
            ref = documents[memo.document_id]
            target = "document"
            if memo.start is not None and memo.end is not None:
                target = "annotation"
                start, end = offsets[memo.document_id].span(memo.start, memo.end)
        elif memo.code_id is not None:
            target, ref = "code", src_paths[memo.code_id]
        made = add_memo(
            dst,
            body=body,
            coder=coder.name if coder is not None else ACTOR,
            target=target,
            ref=ref,
            title=rep(memo.title),
            start=start,
            end=end,
        )
        if coder is None:
            made.coder_id = None
    dst.flush()
