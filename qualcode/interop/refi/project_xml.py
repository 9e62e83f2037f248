"""Building a project's REFI-QDA XML (``project.qde``) and its internal source files.

Codes keep their GUIDs; everything else gets a GUID derived from stable keys (a document's from
its text's sha256), so exporting twice gives the same file. Each coding is one
``PlainTextSelection`` with one ``Coding``; where memos go is :mod:`notes_export`'s business.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Element

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.codebook.apply import codebook_from_project
from qualcode.coding.codes import code_paths
from qualcode.interop.refi import guids
from qualcode.interop.refi.codes_xml import shared_names_note, unique_names, write_codes
from qualcode.interop.refi.notes_export import MemoPlan, plan_memos, write_annotations, write_notes
from qualcode.interop.refi.offsets import (
    NVIVO,
    NVIVO_MAC,
    STANDARD,
    Counting,
    SourceText,
    snippet,
)
from qualcode.interop.refi.xml_write import PROJECT_NS, origin, root, sub, timestamp
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Coder,
    Coding,
    Document,
    Group,
    Memo,
    Participant,
)
from qualcode.store.settings import project_name


@dataclass
class ExportReport:
    file: str
    documents: int = 0
    codes: int = 0
    codings: int = 0
    coders: int = 0
    memos: int = 0
    cases: int = 0
    variables: int = 0
    sets: int = 0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def origin_for(counting: Counting) -> str:
    """Our ``origin``; NVivo's countings name NVivo, which is what an import keys them on."""
    base = origin()
    if counting == NVIVO:
        return base + " (positions as NVivo counts them)"
    if counting == NVIVO_MAC:
        return base + " (positions as NVivo for Mac counts them)"
    return base


def build_project(
    s: Session, report: ExportReport, counting: Counting = STANDARD, unique: bool = False
) -> tuple[Element, dict[str, bytes]]:
    """The project element and the files of ``sources/`` (name -> bytes); with ``unique``,
    codes that share a name are qualified by their parent."""
    name = project_name(s)
    top = root(
        "Project",
        PROJECT_NS,
        {
            "name": name or "qualcode project",
            "origin": origin_for(counting),
            "creationDateTime": timestamp(dt.datetime.now(dt.UTC).replace(tzinfo=None)),
        },
    )
    coders = {c.id: c.name for c in s.scalars(select(Coder).order_by(Coder.name)).all()}
    user = {cid: guids.stable_guid("coder", n) for cid, n in coders.items()}
    if coders:
        users = sub(top, "Users")
        for cid, cname in coders.items():
            sub(users, "User", {"guid": user[cid], "name": cname})
    everything = s.scalars(select(Memo).order_by(Memo.id)).all()
    coding_coder = dict(s.execute(select(Coding.id, Coding.coder_id)).all())
    plan = plan_memos(everything, coding_coder)
    notes_on = plan.notes_on
    paths = code_paths(s)
    book = codebook_from_project(s)
    code_guid: dict[int, str] = {}
    if book.codes:
        codes = sub(sub(top, "CodeBook"), "Codes")
        by_path = {p: notes_on[("code", cid)] for cid, p in paths.items()}
        names = unique_names(book) if unique else None
        written = write_codes(codes, book.codes, note_refs=by_path, names=names)
        code_guid = {cid: written[p] for cid, p in paths.items()}
        report.notes += shared_names_note(book, unique)
    report.codes = len(code_guid)
    report.coders = len(coders)
    doc_guid = _cases(s, top, report)
    files = _sources(s, top, doc_guid, code_guid, user, plan, counting, report)
    report.notes += write_notes(top, plan, user, files)
    report.memos = len(everything)
    _sets(s, top, code_guid, doc_guid, report)
    for target in notes_on[("project", None)]:
        sub(top, "NoteRef", {"targetGUID": target})
    return top, files


def document_guid(doc: Document) -> str:
    return guids.stable_guid("document", doc.sha256)


def _cases(s: Session, top: Element, report: ExportReport) -> dict[int, str]:
    """Variables and cases; returns each document's GUID (the cases refer to them)."""
    docs = s.scalars(select(Document).order_by(Document.name)).all()
    doc_guid = {d.id: document_guid(d) for d in docs}
    attributes = s.scalars(select(Attribute).order_by(Attribute.name)).all()
    values = s.scalars(select(AttributeValue)).all()
    var_guid = {a.id: guids.stable_guid("attribute", a.name) for a in attributes}
    integral = {
        a.id: all(
            v.number_value is None
            or not math.isfinite(v.number_value)
            or float(v.number_value).is_integer()
            for v in values
            if v.attribute_id == a.id
        )
        for a in attributes
    }
    kinds = {"text": "Text", "date": "Date"}
    if attributes:
        variables = sub(top, "Variables")
        for a in attributes:
            kind = kinds.get(a.kind) or ("Integer" if integral[a.id] else "Float")
            sub(
                variables,
                "Variable",
                {"guid": var_guid[a.id], "name": a.name, "typeOfVariable": kind},
            )
    people = s.scalars(select(Participant).order_by(Participant.label)).all()
    not_finite = 0
    if people:
        cases = sub(top, "Cases")
        for p in people:
            case = sub(
                cases, "Case", {"guid": guids.stable_guid("participant", p.label), "name": p.label}
            )
            for v in sorted(p.values, key=lambda v: v.attribute.name):
                text = _value_text(v, integral[v.attribute_id])
                if text is None:
                    if v.number_value is not None:
                        not_finite += 1
                    continue
                value = sub(case, "VariableValue")
                sub(value, "VariableRef", {"targetGUID": var_guid[v.attribute_id]})
                sub(value, text[0], text=text[1])
            for d in sorted(p.documents, key=lambda d: d.name):
                sub(case, "SourceRef", {"targetGUID": doc_guid[d.id]})
    if not_finite:
        report.notes.append(
            f"{not_finite} attribute value(s) not written: not a finite number (REFI-QDA's "
            "FloatValue is a decimal)"
        )
    report.variables = len(attributes)
    report.cases = len(people)
    return doc_guid


def _value_text(v: AttributeValue, integral: bool) -> tuple[str, str] | None:
    if v.attribute.kind == "number" and v.number_value is not None:
        if not math.isfinite(v.number_value):
            return None
        if integral:
            return "IntegerValue", str(int(v.number_value))
        return "FloatValue", format(Decimal(repr(float(v.number_value))), "f")
    if v.attribute.kind == "date" and v.date_value is not None:
        return "DateValue", v.date_value.isoformat()
    if v.text_value is not None:
        return "TextValue", v.text_value
    return None


def _sources(
    s: Session,
    top: Element,
    doc_guid: dict[int, str],
    code_guid: dict[int, str],
    user: dict[int, str],
    plan: MemoPlan,
    counting: Counting,
    report: ExportReport,
) -> dict[str, bytes]:
    docs = s.scalars(select(Document).order_by(Document.name)).all()
    codings: dict[int, list[Coding]] = defaultdict(list)
    for c in s.scalars(select(Coding).order_by(Coding.start, Coding.end, Coding.id)).all():
        codings[c.document_id].append(c)
    coder_names = dict(s.execute(select(Coder.id, Coder.name)).all())
    files: dict[str, bytes] = {}
    if not docs:
        return files
    sources = sub(top, "Sources")
    for doc in docs:
        guid = doc_guid[doc.id]
        file_name = f"{guid}.txt"
        raw = doc.text.replace("\n", "\r\n") if counting == NVIVO else doc.text
        files[file_name] = raw.encode("utf-8")
        src = SourceText(raw)
        source = sub(
            sources,
            "TextSource",
            {
                "guid": guid,
                "name": doc.name,
                "plainTextPath": f"internal://{file_name}",
                "creationDateTime": timestamp(doc.imported_at),
            },
        )
        for c in codings[doc.id]:
            key = (
                doc.sha256,
                code_guid[c.code_id],
                coder_names[c.coder_id],
                str(c.start),
                str(c.end),
            )
            sel = sub(
                source,
                "PlainTextSelection",
                {
                    "guid": guids.stable_guid("selection", *key),
                    "name": snippet(doc.text[c.start : c.end]),
                    "startPosition": str(src.from_text(c.start, counting)),
                    "endPosition": str(src.from_text(c.end, counting)),
                    "creatingUser": user[c.coder_id],
                    "creationDateTime": timestamp(c.created_at),
                    "modifiedDateTime": timestamp(c.updated_at),
                },
            )
            if c.id in plan.descriptions:
                sub(sel, "Description", text=plan.descriptions[c.id])
            coding = sub(
                sel,
                "Coding",
                {
                    "guid": guids.stable_guid("coding", *key),
                    "creatingUser": user[c.coder_id],
                    "creationDateTime": timestamp(c.created_at),
                },
            )
            sub(coding, "CodeRef", {"targetGUID": code_guid[c.code_id]})
            for target in plan.notes_on[("coding", c.id)]:
                sub(coding, "NoteRef", {"targetGUID": target})
            report.codings += 1
        write_annotations(source, plan.annotations[doc.id], doc.text, src, counting, user)
        for target in plan.notes_on[("document", doc.id)]:
            sub(source, "NoteRef", {"targetGUID": target})
    report.documents = len(docs)
    return files


def _sets(
    s: Session,
    top: Element,
    code_guid: dict[int, str],
    doc_guid: dict[int, str],
    report: ExportReport,
) -> None:
    groups = s.scalars(select(Group).order_by(Group.kind, Group.name)).all()
    if not groups:
        return
    sets = sub(top, "Sets")
    for g in groups:
        elem = sub(
            sets,
            "Set",
            {"guid": guids.export_guid(g.guid, "group", g.kind, g.name), "name": g.name},
        )
        if g.description:
            sub(elem, "Description", text=g.description)
        tag, refs = ("MemberCode", code_guid) if g.kind == "code" else ("MemberSource", doc_guid)
        for m in g.members:
            member = m.code_id if g.kind == "code" else m.document_id
            if member is not None and member in refs:
                sub(elem, tag, {"targetGUID": refs[member]})
    report.sets = len(groups)
