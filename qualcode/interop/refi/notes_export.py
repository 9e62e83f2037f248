"""Memos in a .qdpx: where each one goes, written so that other tools read them.

- A coding's first untitled memo by its own coder is its selection's ``Description`` (where
  QualCoder, NVivo and MAXQDA read a coding's memo).
- An annotation (a memo on a passage) is a ``PlainTextSelection`` without a ``Coding`` in its
  source, the memo as its ``Description`` and its title, if any, as its ``name``: MAXQDA's
  commented segment, which QualCoder reads as an annotation.
- Every other memo is a ``Note``, referenced from what it is on, its text both inline
  (``PlainTextContent``) and in ``sources/<guid>.txt`` (``plainTextPath``), as NVivo writes
  them: QualCoder reads a note's text only from the file. Every note has a name (its title, or
  the first words of its text), unique in the file: QualCoder needs both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.interop.refi import guids
from qualcode.interop.refi.offsets import Counting, SourceText, snippet
from qualcode.interop.refi.xml_write import sub, timestamp
from qualcode.store.models import Memo


@dataclass
class MemoPlan:
    descriptions: dict[int, str] = field(default_factory=dict)  # coding id -> Description
    notes: list[Memo] = field(default_factory=list)
    annotations: dict[int, list[Memo]] = field(default_factory=lambda: defaultdict(list))
    note_guid: dict[int, str] = field(default_factory=dict)
    #: (target kind, target id) -> GUIDs of the notes on it
    notes_on: dict[tuple[str, int | None], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )


def plan_memos(memos: Sequence[Memo], coding_coder: dict[int, int]) -> MemoPlan:
    plan = MemoPlan()
    for m in memos:
        if (
            m.coding_id is not None
            and m.coding_id not in plan.descriptions
            and not m.title
            and m.coder_id == coding_coder[m.coding_id]
        ):
            plan.descriptions[m.coding_id] = m.body
        elif m.target == "annotation" and m.document_id is not None:
            plan.annotations[m.document_id].append(m)
        else:
            plan.notes.append(m)
    for m in plan.notes:
        guid = guids.stable_guid("memo", str(m.id), str(m.created_at))
        plan.note_guid[m.id] = guid
        plan.notes_on[(m.target, m.document_id or m.code_id or m.coding_id)].append(guid)
    return plan


def note_names(memos: Sequence[Memo]) -> tuple[dict[int, str], int]:
    """Each note's name (its title, or its text's first words), unique; and how many were made
    unique with a number."""
    taken: set[str] = set()
    names: dict[int, str] = {}
    renamed = 0
    for m in memos:
        base = m.title or snippet(m.body) or "memo"
        name, n = base, 2
        while name in taken:
            name, n = f"{base} ({n})", n + 1
        renamed += name != base
        taken.add(name)
        names[m.id] = name
    return names, renamed


def write_notes(
    top: Element, plan: MemoPlan, user: dict[int, str], files: dict[str, bytes]
) -> list[str]:
    """The ``Notes`` element and the notes' files; returns what the report should say."""
    if not plan.notes:
        return []
    names, renamed = note_names(plan.notes)
    notes = sub(top, "Notes")
    for m in plan.notes:
        guid = plan.note_guid[m.id]
        file_name = f"{guid}.txt"
        note = sub(
            notes,
            "Note",
            {
                "guid": guid,
                "name": names[m.id],
                "plainTextPath": f"internal://{file_name}",
                "creatingUser": user.get(m.coder_id) if m.coder_id else None,
                "creationDateTime": timestamp(m.created_at),
                "modifiedDateTime": timestamp(m.updated_at),
            },
        )
        sub(note, "PlainTextContent", text=m.body)
        files[file_name] = m.body.encode("utf-8")
    if renamed:
        return [
            f"{renamed} memo(s) share a title with another: numbered in the file (e.g. "
            "'Plan (2)'), since QualCoder cannot import two notes of one name"
        ]
    return []


def write_annotations(
    source: Element,
    memos: list[Memo],
    text: str,
    src: SourceText,
    counting: Counting,
    user: dict[int, str],
) -> None:
    """A document's annotations as selections without a coding (after its coded selections)."""
    for m in sorted(memos, key=lambda m: (m.start or 0, m.end or 0, m.id)):
        start, end = m.start or 0, m.end or 0
        sel = sub(
            source,
            "PlainTextSelection",
            {
                "guid": guids.stable_guid("annotation", str(m.id), str(m.created_at)),
                "name": m.title or snippet(text[start:end]),
                "startPosition": str(src.from_text(start, counting)),
                "endPosition": str(src.from_text(end, counting)),
                "creatingUser": user.get(m.coder_id) if m.coder_id else None,
                "creationDateTime": timestamp(m.created_at),
                "modifiedDateTime": timestamp(m.updated_at),
            },
        )
        sub(sel, "Description", text=m.body)
