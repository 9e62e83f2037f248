"""Merging a codebook into a project, and reading a project's codebook back out.

Merging never deletes a code, so no coding is ever lost: codes are matched by path, new ones are
added, and the definitions, colours and keys of existing ones are updated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.codebook.model import Codebook, CodeSpec
from qualcode.coding.codes import NewCode, code_paths, insert_codes, new_guid
from qualcode.store.audit import audit
from qualcode.store.models import Code
from qualcode.store.settings import get_setting, set_setting

FIELDS = ("description", "inclusion", "exclusion", "example", "colour")


@dataclass
class ApplyReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    keys_moved: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "keys_moved": self.keys_moved,
        }


def apply_codebook(s: Session, book: Codebook, *, actor: str) -> ApplyReport:
    """Merge ``book`` into the project: in time linear in the codes (one read of the
    project's codes, new codes added in a few statements by
    :func:`~qualcode.coding.codes.insert_codes`)."""
    book.validate()
    report = ApplyReport()
    codes = {c.id: c for c in s.scalars(select(Code))}
    by_path = {p: codes[cid] for cid, p in code_paths(s).items()}
    by_key = {c.key: c for c in by_path.values() if c.key}
    wanted_keys = {spec.key: path for path, spec, _ in book.walk() if spec.key}
    # Free keys that the codebook gives to other codes first, so the unique index never trips.
    path_of = {id(c): p for p, c in by_path.items()}
    for key, path in wanted_keys.items():
        holder = by_key.get(key)
        if holder is not None and by_path.get(path) is not holder:
            holder.key = None
            report.keys_moved.append(f"{key}: {path_of[id(holder)]} -> {path}")
    s.flush()
    positions: dict[str | None, int] = {}
    new: list[NewCode] = []
    for path, spec, parent_path in book.walk():
        positions[parent_path] = positions.get(parent_path, -1) + 1
        code = by_path.get(path)
        if code is None:
            new.append((path, parent_path, _new_code(spec, positions[parent_path])))
            report.added.append(path)
            continue
        changes = {f: getattr(spec, f) for f in FIELDS if getattr(code, f) != getattr(spec, f)}
        if spec.key and code.key != spec.key:
            changes["key"] = spec.key
        if changes:
            for name, value in changes.items():
                setattr(code, name, value)
            report.updated.append(path)
            audit(s, actor, "update", "code", code.id, path=path, fields=sorted(changes))
        else:
            report.unchanged.append(path)
    s.flush()
    insert_codes(s, new, {p: c.id for p, c in by_path.items()}, actor=actor)
    _remember(s, "codebook_name", book.name)
    _remember(s, "codebook_version", book.version)
    s.flush()
    return report


def _new_code(spec: CodeSpec, position: int) -> dict[str, Any]:
    return {
        "name": spec.name,
        "description": spec.description,
        "inclusion": spec.inclusion,
        "exclusion": spec.exclusion,
        "example": spec.example,
        "colour": spec.colour,
        "key": spec.key,
        "position": position,
        "guid": spec.guid or new_guid(),
    }


def _remember(s: Session, key: str, value: str) -> None:
    if not value:
        return
    set_setting(s, key, value)


def codebook_from_project(s: Session) -> Codebook:
    codes = s.scalars(select(Code).order_by(Code.position, Code.id)).all()
    specs = {
        c.id: CodeSpec(
            name=c.name,
            description=c.description,
            inclusion=c.inclusion,
            exclusion=c.exclusion,
            example=c.example,
            colour=c.colour,
            key=c.key,
            guid=c.guid,
        )
        for c in codes
    }
    roots: list[CodeSpec] = []
    for c in codes:
        (specs[c.parent_id].children if c.parent_id in specs else roots).append(specs[c.id])
    return Codebook(
        name=get_setting(s, "codebook_name") or "",
        version=get_setting(s, "codebook_version") or "",
        codes=roots,
    )
