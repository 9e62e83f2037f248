"""Reading a project's XML (``project.qde``) into :class:`RefiProject`.

Only structure is read here; source texts are read from the archive later. Duplicate GUIDs
among codes, users, sources, cases, variables, notes or sets make the file ambiguous and are
refused. What qualcode cannot hold is counted in ``skipped``, never silently dropped.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from qualcode.errors import QualcodeError
from qualcode.interop.refi import guids
from qualcode.interop.refi.codes_xml import read_codes
from qualcode.interop.refi.model import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiVariable,
)
from qualcode.interop.refi.xml_read import (
    attr,
    integer,
    kid,
    kid_text,
    kids,
    listed,
    local,
    refs,
    timestamp,
)

OTHER_SOURCES = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
VALUE_ELEMENTS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


class _Guids:
    """Refuses a GUID used twice for things of one kind."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: dict[str, set[str]] = {}

    def __call__(self, elem: Element, kind: str) -> str:
        raw = attr(elem, "guid")
        if not raw:
            raise QualcodeError(f"{self.what}: a <{local(elem.tag)}> has no guid")
        key = guids.key(raw)
        seen = self.seen.setdefault(kind, set())
        if key in seen:
            raise QualcodeError(f"{self.what}: refused: duplicate {kind} GUID {raw!r}")
        seen.add(key)
        return key


def read_project(root: Element, *, unflatten: bool, what: str) -> RefiProject:
    if local(root.tag) != "Project":
        raise QualcodeError(f"{what}: not a REFI-QDA project (root element <{local(root.tag)}>)")
    origin = attr(root, "origin")
    proj = RefiProject(name=attr(root, "name"), origin=origin)
    proj.description = kid_text(root, "Description").strip()
    proj.note_refs = refs(root, "NoteRef")
    check = _Guids(what)
    for user in listed(root, "Users", "User"):
        key = check(user, "user")
        proj.users[key] = attr(user, "name") or attr(user, "id")
    codebook = kid(root, "CodeBook")
    codes = kid(codebook, "Codes") if codebook is not None else None
    own = origin.lower().startswith("qualcode")
    proj.codes = read_codes(codes, unflatten=unflatten, own_file=own, what=what)
    for var in listed(root, "Variables", "Variable"):
        key = check(var, "variable")
        proj.variables[key] = RefiVariable(attr(var, "name"), attr(var, "typeOfVariable"))
    for case in listed(root, "Cases", "Case"):
        proj.cases.append(_case(case, check(case, "case"), proj))
    sources = kid(root, "Sources")
    for source in sources if sources is not None else []:
        tag = local(source.tag)
        if tag == "TextSource":
            proj.text_sources.append(_text_source(source, check(source, "source"), proj, what))
        elif tag in OTHER_SOURCES:
            _other_source(source, check(source, "source"), OTHER_SOURCES[tag], proj)
    for note in listed(root, "Notes", "Note"):
        proj.notes.append(_note(note, check(note, "note"), proj, what))
    for set_elem in listed(root, "Sets", "Set"):
        check(set_elem, "set")
        proj.sets.append(read_set(set_elem))
    for tag, label in (("Links", "Link"), ("Graphs", "Graph")):
        n = len(listed(root, tag, label))
        if n:
            proj.skipped[f"{label.lower()}s"] += n
    return proj


def read_set(elem: Element) -> RefiSet:
    return RefiSet(
        guid=attr(elem, "guid"),
        name=" ".join(attr(elem, "name").split()),
        description=kid_text(elem, "Description").strip(),
        code_refs=[guids.key(r) for r in refs(elem, "MemberCode")],
        source_refs=[guids.key(r) for r in refs(elem, "MemberSource")],
        note_refs=len(kids(elem, "MemberNote")),
    )


def _coding(elem: Element) -> RefiCoding | None:
    code = kid(elem, "CodeRef")
    target = attr(code, "targetGUID") if code is not None else ""
    if not target:
        return None
    return RefiCoding(
        code=guids.key(target),
        user=guids.key(attr(elem, "creatingUser")),
        created=timestamp(attr(elem, "creationDateTime")),
        note_refs=refs(elem, "NoteRef"),
    )


def _codings(elem: Element) -> list[RefiCoding]:
    found = [_coding(c) for c in kids(elem, "Coding")]
    return [c for c in found if c is not None]


def _text_source(elem: Element, key: str, proj: RefiProject, what: str) -> RefiTextSource:
    values = len(kids(elem, "VariableValue"))
    if values:
        proj.skipped["variable values on sources (qualcode keeps them on cases)"] += values
    content = kid(elem, "PlainTextContent")
    source = RefiTextSource(
        key=key,
        name=attr(elem, "name"),
        plain_path=attr(elem, "plainTextPath"),
        inline_text="".join(content.itertext()) if content is not None else None,
        user=guids.key(attr(elem, "creatingUser")),
        description=kid_text(elem, "Description").strip(),
        codings=_codings(elem),
        note_refs=refs(elem, "NoteRef"),
    )
    label = source.name or source.plain_path or key
    for sel in kids(elem, "PlainTextSelection"):
        where = f"{what}: source {label!r}, selection {attr(sel, 'guid')!r}"
        source.selections.append(
            RefiSelection(
                guid=attr(sel, "guid"),
                name=attr(sel, "name"),
                start=integer(sel, "startPosition", where),
                end=integer(sel, "endPosition", where),
                user=guids.key(attr(sel, "creatingUser")),
                created=timestamp(attr(sel, "creationDateTime")),
                description=kid_text(sel, "Description").strip(),
                codings=_codings(sel),
                note_refs=refs(sel, "NoteRef"),
            )
        )
    return source


def _other_source(elem: Element, key: str, kind: str, proj: RefiProject) -> None:
    proj.other_sources[key] = kind
    proj.skipped[f"{kind} sources"] += 1
    selections = sum(1 for e in elem.iter() if local(e.tag).endswith("Selection"))
    codings = sum(1 for e in elem.iter() if local(e.tag) == "Coding")
    if selections:
        proj.skipped[f"selections in {kind} sources"] += selections
    if codings:
        proj.skipped[f"codings in {kind} sources"] += codings


def _note(elem: Element, key: str, proj: RefiProject, what: str) -> RefiNote:
    content = kid(elem, "PlainTextContent")
    text = "".join(content.itertext()) if content is not None else None
    description = kid_text(elem, "Description").strip()
    if description:
        text = f"{description}\n\n{text or ''}".strip()
    coded = sum(1 for e in elem.iter() if local(e.tag) == "Coding")
    if coded:
        proj.skipped["codings in notes"] += coded
    sel = kid(elem, "PlainTextSelection")
    span = None
    if sel is not None:
        where = f"{what}: note {attr(elem, 'guid')!r}, selection {attr(sel, 'guid')!r}"
        span = (integer(sel, "startPosition", where), integer(sel, "endPosition", where))
    return RefiNote(
        key=key,
        name=attr(elem, "name"),
        text=text,
        plain_path=attr(elem, "plainTextPath"),
        user=guids.key(attr(elem, "creatingUser") or attr(elem, "modifyingUser")),
        created=timestamp(attr(elem, "creationDateTime") or attr(elem, "modifiedDateTime")),
        span=span,
    )


def _case(elem: Element, key: str, proj: RefiProject) -> RefiCase:
    case = RefiCase(key=key, name=" ".join(attr(elem, "name").split()))
    case.source_refs = [guids.key(r) for r in refs(elem, "SourceRef")]
    for value in kids(elem, "VariableValue"):
        ref = kid(value, "VariableRef")
        target = attr(ref, "targetGUID") if ref is not None else ""
        found = next((v for v in value if local(v.tag) in VALUE_ELEMENTS), None)
        if target and found is not None:
            case.values.append((guids.key(target), "".join(found.itertext()).strip()))
    for tag, label in (
        ("CodeRef", "code references of cases"),
        ("SelectionRef", "selection references of cases"),
    ):
        n = len(kids(elem, tag))
        if n:
            proj.skipped[label] += n
    return case
