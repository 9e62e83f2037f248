"""REFI-QDA codebooks (.qdc): read (codes and code sets), written, and merged into a project.

``load_qdc`` gives a :class:`Codebook` for ``qualcode codebook import``; ``import_qdc`` also keeps
the file's sets as code groups. Taguette writes an empty ``<Sets/>`` and ATLAS.ti names set
members ``guid=`` rather than ``targetGUID=``: both are read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.codebook.apply import ApplyReport, apply_codebook, codebook_from_project
from qualcode.codebook.model import Codebook
from qualcode.coding.codes import code_paths, join_path
from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import write_atomically
from qualcode.interop.refi.codes_xml import (
    RefiCodeTree,
    read_codes,
    shared_names_note,
    unique_names,
    write_codes,
)
from qualcode.interop.refi.groups import group_name, merge_group
from qualcode.interop.refi.guids import export_guid
from qualcode.interop.refi.model import RefiSet
from qualcode.interop.refi.project_read import read_set
from qualcode.interop.refi.xml_read import attr, kid, kids, local, parse_xml
from qualcode.interop.refi.xml_write import CODEBOOK_NS, origin, root, sub, to_bytes
from qualcode.store.db import Project
from qualcode.store.models import Code, Group

MAX_QDC_BYTES = 50_000_000


@dataclass
class QdcContent:
    origin: str
    tree: RefiCodeTree
    sets: list[RefiSet] = field(default_factory=list)

    def codebook(self, name: str = "") -> Codebook:
        return self.tree.to_codebook(name)


@dataclass
class QdcImportReport:
    codes: ApplyReport
    #: The code groups the file's sets became (new or merged), by name.
    groups: list[str] = field(default_factory=list)
    groups_added: int = 0
    group_members_added: int = 0
    notes: list[str] = field(default_factory=list)
    #: What the file holds that was not imported, counted.
    not_imported: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, object]:
        return {
            **self.codes.as_json(),
            "groups": self.groups,
            "groups_added": self.groups_added,
            "group_members_added": self.group_members_added,
            "notes": self.notes,
            "not_imported": dict(sorted(self.not_imported.items())),
        }


def read_qdc(path: str | Path, *, unflatten: bool = False) -> QdcContent:
    p = Path(path)
    if not p.is_file():
        raise QualcodeError(f"{p}: no such codebook file")
    if p.stat().st_size > MAX_QDC_BYTES:
        raise QualcodeError(f"{p.name}: refused: larger than {MAX_QDC_BYTES:,} bytes")
    top = parse_xml(p.read_bytes(), p.name)
    if local(top.tag) != "CodeBook":
        raise QualcodeError(f"{p.name}: not a REFI-QDA codebook (root element <{local(top.tag)}>)")
    origin = attr(top, "origin")
    tree = read_codes(
        kid(top, "Codes"),
        unflatten=unflatten,
        own_file=origin.lower().startswith("qualcode"),
        what=p.name,
    )
    sets_elem = kid(top, "Sets")
    sets = [read_set(e) for e in kids(sets_elem, "Set")] if sets_elem is not None else []
    return QdcContent(origin=origin, tree=tree, sets=sets)


def load_qdc(path: str | Path, unflatten: bool = False) -> Codebook:
    """The codes of a .qdc as a codebook (named after the file)."""
    book = read_qdc(path, unflatten=unflatten).codebook(Path(path).stem)
    book.validate()
    return book


def import_qdc(
    project: Project, path: str | Path, *, actor: str, unflatten: bool = False
) -> QdcImportReport:
    """Merge a .qdc's codes (by path, like any codebook) and its sets (as code groups)."""
    content = read_qdc(path, unflatten=unflatten)
    book = content.codebook(Path(path).stem)
    with project.write() as s:
        _free_guids(s, book)
        report = QdcImportReport(codes=apply_codebook(s, book, actor=actor))
        report.notes = list(content.tree.notes)
        ids = {p: cid for cid, p in code_paths(s).items()}
        for rs in content.sets:
            members = [
                ids[join_path(content.tree.paths[k])]
                for k in rs.code_refs
                if k in content.tree.paths
            ]
            missing = len(rs.code_refs) - len(members)
            if missing:
                report.not_imported["set members that are not codes of the codebook"] += missing
            if rs.source_refs:
                report.not_imported["documents as set members"] += len(rs.source_refs)
            if rs.note_refs:
                report.not_imported["notes as set members"] += rs.note_refs
            name = group_name(rs.name)
            created, added = merge_group(
                s,
                kind="code",
                name=name,
                description=rs.description,
                guid=rs.guid,
                members=members,
            )
            if name not in report.groups:
                report.groups.append(name)
            report.groups_added += created
            report.group_members_added += added
    return report


def _free_guids(s: Session, book: Codebook) -> None:
    """Forget file GUIDs that codes at other paths of the project already have."""
    taken = {g: cid for cid, g in s.execute(select(Code.id, Code.guid)).all()}
    paths = code_paths(s)
    for path, spec, _parent in book.walk():
        if spec.guid and spec.guid in taken and paths.get(taken[spec.guid]) != path:
            spec.guid = None


def qdc_bytes(s: Session, unique: bool = False) -> tuple[bytes, int, int, list[str]]:
    """The project's codebook and code groups as a .qdc; with the numbers of codes and sets,
    and notes for the user. With ``unique``, codes that share a name are qualified by their
    parent."""
    book = codebook_from_project(s)
    if not book.codes:
        raise QualcodeError("the project has no codes to export")
    top = root("CodeBook", CODEBOOK_NS, {"origin": origin()})
    names = unique_names(book) if unique else None
    written = write_codes(sub(top, "Codes"), book.codes, names=names)
    paths = code_paths(s)
    groups = s.scalars(select(Group).where(Group.kind == "code").order_by(Group.name)).all()
    if groups:
        sets = sub(top, "Sets")
        for g in groups:
            guid = export_guid(g.guid, "group", g.kind, g.name)
            elem = sub(sets, "Set", {"guid": guid, "name": g.name})
            if g.description:
                sub(elem, "Description", text=g.description)
            for m in g.members:
                if m.code_id is not None and m.code_id in paths:
                    sub(elem, "MemberCode", {"guid": written[paths[m.code_id]]})
    return to_bytes(top), len(written), len(groups), shared_names_note(book, unique)


def export_qdc(
    project: Project, out: str | Path, *, unique_names: bool = False
) -> dict[str, object]:
    out = Path(out)
    with project.session() as s:
        data, codes, sets, notes = qdc_bytes(s, unique_names)

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomically(out, write)
    return {"file": str(out), "codes": codes, "sets": sets, "notes": notes}
