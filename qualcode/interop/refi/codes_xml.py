"""Codes in REFI-QDA XML (``<Codes>`` of a codebook or a project), read and written.

Reading keeps the hierarchy, GUIDs, colours and descriptions. Names are kept exactly (a ``/`` in
a name is escaped only in paths, see :mod:`qualcode.coding.codes`); white space is tidied and
siblings of the same name get `` (2)``. With
``unflatten``, names like ``Coke::diet Coke`` (ATLAS.ti's flattened hierarchy) become paths,
merging with codes of the same path. Inclusion, exclusion and example criteria travel in the
description, under headings qualcode reads back from its own files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.codebook.model import DEFAULT_COLOUR, Codebook, CodeSpec, too_many_codes
from qualcode.coding.codes import MAX_IMPORTED_CODES, join_path, split_path
from qualcode.errors import QualcodeError
from qualcode.interop.refi import guids
from qualcode.interop.refi.xml_read import attr, kid_text, kids, local, refs
from qualcode.interop.refi.xml_write import sub

MAX_NAME = 255
_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
CRITERIA = ("inclusion", "exclusion", "example")
_HEADING = re.compile(r"\n\n(Inclusion|Exclusion|Example): ")
Path = tuple[str, ...]


@dataclass
class CodeNode:
    name: str
    guid: str = ""
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    colour: str = DEFAULT_COLOUR
    note_refs: list[str] = field(default_factory=list)
    in_file: bool = False  # False: made up as the parent of an unflattened name
    children: list[CodeNode] = field(default_factory=list)

    #: children by name (kept with ``children`` by :meth:`child`): a lookup per code, not a
    #: scan of its siblings, which made 20,000 siblings quadratic
    by_name: dict[str, CodeNode] = field(default_factory=dict, repr=False)

    def child(self, name: str) -> CodeNode:
        found = self.by_name.get(name)
        if found is None:
            found = CodeNode(name=name)
            self.children.append(found)
            self.by_name[name] = found
        return found


@dataclass
class RefiCodeTree:
    top: CodeNode = field(default_factory=lambda: CodeNode(name=""))
    #: Every code GUID in the file (compared form) -> the path of the code it became.
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    in_file: int = 0
    not_codable: int = 0
    notes: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Path, CodeNode]]:
        """Every code as (path, node), parents first."""

        def rec(node: CodeNode, path: Path) -> Iterator[tuple[Path, CodeNode]]:
            for child in node.children:
                here = (*path, child.name)
                yield here, child
                yield from rec(child, here)

        return rec(self.top, ())

    def to_codebook(self, name: str = "") -> Codebook:
        def spec(node: CodeNode) -> CodeSpec:
            return CodeSpec(
                name=node.name,
                description=node.description,
                inclusion=node.inclusion,
                exclusion=node.exclusion,
                example=node.example,
                colour=node.colour,
                guid=node.guid,
                children=[spec(c) for c in node.children],
            )

        return Codebook(name=name, codes=[spec(c) for c in self.top.children])


def read_codes(
    codes: Element | None, *, unflatten: bool, own_file: bool, what: str
) -> RefiCodeTree:
    """The code tree of a ``<Codes>`` element (None: no codes)."""
    tree = RefiCodeTree()
    renamed: list[str] = []
    merged: list[str] = []

    def visit(elems: list[Element], file_path: tuple[str, ...]) -> None:
        taken: set[str] = set()
        next_n: dict[str, int] = {}  # the next number to try per name: linear, not quadratic
        for elem in elems:
            raw_guid = attr(elem, "guid")
            name = clean_name(attr(elem, "name"), raw_guid)
            unique = name
            n = next_n.get(name, 2)
            while unique in taken:
                unique = f"{name[: MAX_NAME - 8]} ({n})"
                n += 1
            next_n[name] = n
            if unique != name:
                renamed.append(f"{join_path((*file_path, name))} -> {unique}")
            taken.add(unique)
            here = (*file_path, unique)
            place(elem, raw_guid, here)
            visit(kids(elem, "Code"), here)

    def place(elem: Element, raw_guid: str, file_path: tuple[str, ...]) -> None:
        path = file_path
        if unflatten:
            path = tuple(part for name in file_path for part in split_flat(name))
        node = tree.top
        for name in path:
            node = node.child(name)
        key = guids.key(raw_guid) or guids.stable_guid("code-path", *file_path)
        if key in tree.paths:
            raise QualcodeError(f"{what}: refused: duplicate code GUID {raw_guid!r}")
        tree.paths[key] = path
        tree.in_file += 1
        if attr(elem, "isCodable").lower() == "false":
            tree.not_codable += 1
        if node.in_file:
            merged.append(join_path(path))
            node.note_refs.extend(refs(elem, "NoteRef"))
            return
        node.in_file = True
        node.guid = guids.stored_guid(raw_guid, "code") if raw_guid else key
        node.colour = clean_colour(attr(elem, "color"))
        node.note_refs = refs(elem, "NoteRef")
        text = kid_text(elem, "Description").strip()
        if own_file:
            node.description, node.inclusion, node.exclusion, node.example = split_definition(text)
        else:
            node.description = text

    if codes is not None:
        count = sum(1 for e in codes.iter() if local(e.tag) == "Code")
        if count > MAX_IMPORTED_CODES:
            raise QualcodeError(f"{what}: {too_many_codes(count)}")
    visit(kids(codes, "Code") if codes is not None else [], ())
    if renamed:
        tree.notes.append(f"{len(renamed)} code(s) renamed apart from a sibling of the same name")
    if merged:
        tree.notes.append(f"{len(merged)} flattened code name(s) merged into an existing code")
    made_up = sum(1 for _p, node in tree.walk() if not node.in_file)
    if made_up:
        tree.notes.append(f"{made_up} parent code(s) created for flattened names ('A::B')")
    if tree.not_codable:
        tree.notes.append(
            f"{tree.not_codable} code(s) marked not codable (folders) imported as ordinary codes"
        )
    return tree


def clean_name(raw: str, guid: str) -> str:
    name = " ".join(raw.split())
    if not name:
        name = f"(unnamed {guids.key(guid)[:8] or 'code'})"
    return name[:MAX_NAME]


def split_flat(name: str) -> list[str]:
    parts = [p.strip() for p in name.split("::") if p.strip()]
    return parts or [name]


def clean_colour(raw: str) -> str:
    m = _COLOUR.fullmatch(raw.strip())
    if m is None:
        return DEFAULT_COLOUR
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


def split_definition(text: str) -> tuple[str, str, str, str]:
    """(description, inclusion, exclusion, example) from a description qualcode wrote."""
    parts = _HEADING.split("\n\n" + text)
    found = {"description": parts[0].removeprefix("\n\n").strip()}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        found[heading.lower()] = body.strip()
    return (
        found["description"],
        found.get("inclusion", ""),
        found.get("exclusion", ""),
        found.get("example", ""),
    )


def join_definition(spec: CodeSpec) -> str:
    """A code's description with its criteria under headings (``Inclusion: ...``)."""
    parts = [spec.description.strip()] if spec.description.strip() else []
    for name in CRITERIA:
        value = getattr(spec, name).strip()
        if value:
            parts.append(f"{name.capitalize()}: {value}")
    return "\n\n".join(parts)


def shared_names(book: Codebook) -> dict[str, list[str]]:
    """Names that several codes have (under different parents), with those codes' paths.

    Valid in REFI-QDA, but QualCoder and qc match codes by name on import and merge them.
    """
    by_name: dict[str, list[str]] = {}
    for path, spec, _parent in book.walk():
        by_name.setdefault(spec.name, []).append(path)
    return {name: paths for name, paths in by_name.items() if len(paths) > 1}


def unique_names(book: Codebook) -> dict[str, str]:
    """Names for the codes that share one, qualified by their parent (``positive (Trust)``), or
    by its whole path when that is not enough; by code path. A top-level code keeps its name."""
    shared = shared_names(book)
    taken = {spec.name for _p, spec, _x in book.walk()}
    parents = {path: parent for path, _spec, parent in book.walk()}
    names: dict[str, str] = {}
    for name, paths in shared.items():
        nested = [p for p in paths if parents[p] is not None]
        short = {p: f"{name} ({split_path(parents[p] or '')[-1]})" for p in nested}
        clash = len(set(short.values())) < len(short) or bool(set(short.values()) & taken)
        for p in nested:
            names[p] = f"{name} ({parents[p]})" if clash else short[p]
        taken |= set(names.values())
    return names


def write_codes(
    parent: Element,
    specs: list[CodeSpec],
    *,
    note_refs: dict[str, list[str]] | None = None,
    names: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
) -> dict[str, str]:
    """Write ``<Code>`` elements under ``parent``; return each code's path -> its GUID.

    ``names`` gives some codes (by path) another name in the file (see :func:`unique_names`).
    """
    written: dict[str, str] = {}
    for spec in specs:
        path = (*prefix, spec.name)
        guid = guids.export_guid(spec.guid, "code", *path)
        colour = spec.colour if _COLOUR.fullmatch(spec.colour) and spec.colour[0] == "#" else None
        name = (names or {}).get(join_path(path), spec.name)
        elem = sub(
            parent, "Code", {"guid": guid, "name": name, "isCodable": "true", "color": colour}
        )
        definition = join_definition(spec)
        if definition:
            sub(elem, "Description", text=definition)
        for target in (note_refs or {}).get(join_path(path), []):
            sub(elem, "NoteRef", {"targetGUID": target})
        written[join_path(path)] = guid
        written.update(
            write_codes(elem, spec.children, note_refs=note_refs, names=names, prefix=path)
        )
    return written


def shared_names_note(book: Codebook, qualified: bool) -> list[str]:
    """What an export says about codes that share a name (nothing when none do)."""
    shared = shared_names(book)
    if not shared:
        return []
    listed = "; ".join(f"{name!r}: {', '.join(paths)}" for name, paths in sorted(shared.items()))
    if qualified:
        return [f"codes that share a name were qualified by their parent: {listed}"]
    return [
        f"codes share a name under different parents ({listed}): QualCoder and qc merge them on "
        "import, so their codings lose their code; --unique-names qualifies them by their parent"
    ]
