"""Sets of codes or documents, kept as qualcode groups; merged with groups of the same name."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.interop.refi import guids
from qualcode.store.models import Group, GroupMember

MAX_NAME = 255


def group_name(name: str) -> str:
    """The name a set's group gets (a nameless set has one made up; long names are cut)."""
    return (name or "(unnamed set)")[:MAX_NAME]


def merge_group(
    s: Session, *, kind: str, name: str, description: str, guid: str, members: list[int]
) -> tuple[bool, int]:
    """Add a group (or reuse the one of that kind and name) and its members.

    Returns (whether the group is new, how many members were added).
    """
    name = group_name(name)
    group = s.scalar(select(Group).where(Group.kind == kind, Group.name == name))
    created = group is None
    if group is None:
        wanted = guids.stored_guid(guid, "set") if guid else str(uuid.uuid4())
        if s.scalar(select(Group.id).where(Group.guid == wanted)) is not None:
            wanted = str(uuid.uuid4())
        group = Group(kind=kind, name=name, description=description, guid=wanted)
        s.add(group)
        s.flush()
    column = GroupMember.code_id if kind == "code" else GroupMember.document_id
    have = set(s.scalars(select(column).where(GroupMember.group_id == group.id)).all())
    added = 0
    for member in dict.fromkeys(members):
        if member in have:
            continue
        if kind == "code":
            s.add(GroupMember(group_id=group.id, code_id=member))
        else:
            s.add(GroupMember(group_id=group.id, document_id=member))
        added += 1
    s.flush()
    return created, added
