"""Editing the codebook in place: add, rename, move, recolour, key, define, merge, delete.

Each function works in the caller's session (use one ``project.write()`` per edit, so an edit
is one transaction), writes an audit entry, and raises QualcodeError with one clear line when
the edit cannot be made. Codes are named by path, name, key (see ``find_code``) or id.

Merging and deleting run while coders go on coding. Codings belong to their code with
``ON DELETE CASCADE``, so a coding committed between reading a code's codings and deleting the
code would be deleted with it. :func:`lock_codes` prevents that: merge and delete first lock the
codes' rows (``SELECT ... FOR UPDATE`` on PostgreSQL). A coding of a locked code waits for the
lock, since its foreign-key check takes a share lock on the code's row; when the code is gone
after all, the coding is refused with an integrity error instead of being lost. A coding that
took its share lock first makes the merge wait for it to commit, and the merge then reads it.
Two edits of the same code are serialised the same way. On SQLite, writers are serialised
anyway (``BEGIN IMMEDIATE``) and ``FOR UPDATE`` is not emitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qualcode.codebook.model import COLOUR, DEFAULT_COLOUR, KEY, RESERVED_KEYS
from qualcode.coding.codes import CodeRef, code_path, code_paths, get_code, new_guid
from qualcode.coding.codings import change_coding, delete_codings
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.audit import audit
from qualcode.store.models import Code, Coding, GroupMember, Memo

MAX_NAME = 255
DEFINITION_FIELDS = ("description", "inclusion", "exclusion", "example")


def lock_codes(s: Session, *codes: Code) -> None:
    """Lock the codes' rows for the rest of the transaction (in id order) and re-read them.

    Raises NotFound when one of them was deleted (or merged away) in the meantime.
    """
    ids = sorted({code.id for code in codes})
    stmt = select(Code.id).where(Code.id.in_(ids)).order_by(Code.id).with_for_update()
    found = set(s.scalars(stmt))
    for code in codes:
        if code.id not in found:
            raise NotFound(f"code {code.name!r} was deleted or merged meanwhile; try again")
    for code in codes:
        s.refresh(code)  # its name, parent and sub-codes as they are now
        s.expire(code, ["children", "parent"])


def _parent(s: Session, ref: CodeRef | None) -> Code | None:
    if ref is None or (isinstance(ref, str) and ref.strip() in ("", "/")):
        return None
    return get_code(s, ref)


def _where(s: Session, parent: Code | None) -> str:
    return f"under {code_path(s, parent)!r}" if parent is not None else "at the top level"


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise QualcodeError("a code needs a name")
    if len(name) > MAX_NAME:
        raise QualcodeError(f"a code name is at most {MAX_NAME} characters")
    return name


def _siblings(s: Session, parent_id: int | None) -> list[Code]:
    cond = Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id
    return list(s.scalars(select(Code).where(cond).order_by(Code.position, Code.id)).all())


def _clash(s: Session, parent: Code | None, name: str, exclude: Code | None = None) -> None:
    for sib in _siblings(s, parent.id if parent is not None else None):
        if sib is not exclude and sib.name.casefold() == name.casefold():
            raise QualcodeError(f"there is already a code {sib.name!r} {_where(s, parent)}")


def _next_position(s: Session, parent_id: int | None) -> int:
    cond = Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id
    top = s.scalar(select(func.max(Code.position)).where(cond))
    return 0 if top is None else top + 1


def check_colour(colour: str) -> str:
    value = colour.strip()
    if not value.startswith("#"):
        value = "#" + value
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    if not COLOUR.match(value):
        raise QualcodeError(f"colour {colour!r} is not #rrggbb (e.g. #1f77b4)")
    return value.lower()


def check_key(s: Session, key: str, code: Code | None = None) -> str:
    key = key.strip()
    if not KEY.match(key):
        raise QualcodeError(f"key {key!r} must be one lower-case letter or digit")
    if key in RESERVED_KEYS:
        reserved = " ".join(sorted(RESERVED_KEYS))
        raise QualcodeError(f"key {key!r} is used by the coding screen (reserved: {reserved})")
    holder = s.scalar(select(Code).where(Code.key == key))
    if holder is not None and holder is not code:
        raise QualcodeError(f"key {key!r} already belongs to {code_path(s, holder)!r}")
    return key


def add_code(
    s: Session,
    name: str,
    *,
    actor: str,
    parent: CodeRef | None = None,
    colour: str | None = None,
    key: str | None = None,
    description: str = "",
) -> Code:
    """A new code at the end of its siblings; it takes its parent's colour unless given one."""
    name = check_name(name)
    parent_code = _parent(s, parent)
    _clash(s, parent_code, name)
    if colour:
        colour = check_colour(colour)
    else:
        colour = parent_code.colour if parent_code is not None else DEFAULT_COLOUR
    code = Code(
        parent_id=parent_code.id if parent_code is not None else None,
        name=name,
        description=description.strip(),
        colour=colour,
        key=check_key(s, key) if key else None,
        position=_next_position(s, parent_code.id if parent_code is not None else None),
        guid=new_guid(),
    )
    s.add(code)
    s.flush()
    audit(s, actor, "add", "code", code.id, path=code_path(s, code))
    return code


def rename_code(s: Session, ref: CodeRef, new_name: str, *, actor: str) -> Code:
    code = get_code(s, ref)
    name = check_name(new_name)
    old = code_path(s, code)
    if name == code.name:
        return code
    _clash(s, code.parent, name, exclude=code)
    code.name = name
    s.flush()
    audit(s, actor, "rename", "code", code.id, old=old, new=code_path(s, code))
    return code


def is_descendant(s: Session, code: Code, ancestor: Code) -> bool:
    """Is ``code`` the same as or somewhere below ``ancestor``?"""
    cur: Code | None = code
    seen: set[int] = set()
    while cur is not None and cur.id not in seen:
        if cur.id == ancestor.id:
            return True
        seen.add(cur.id)
        cur = cur.parent
    return False


#: the PostgreSQL advisory lock that serialises moves in the code tree
TREE_LOCK = 0x71C0DE


def _lock_tree(s: Session) -> None:
    """Hold the code tree for this transaction. Two moves checked against the same old tree
    (A under B here, B under A there) would each pass the cycle check and together make a
    cycle; on PostgreSQL the second now waits for the first to commit and then checks against
    its result. SQLite already runs one writer at a time."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(select(func.pg_advisory_xact_lock(TREE_LOCK)))


def move_code(s: Session, ref: CodeRef, new_parent: CodeRef | None, *, actor: str) -> Code:
    """Give a code a new parent (``None`` for the top level); its children come with it."""
    _lock_tree(s)
    code = get_code(s, ref)
    parent = _parent(s, new_parent)
    if parent is not None and is_descendant(s, parent, code):
        raise QualcodeError(
            f"cannot move {code_path(s, code)!r} under {code_path(s, parent)!r}: "
            "a code cannot go inside itself"
        )
    if (parent.id if parent is not None else None) == code.parent_id:
        return code
    _clash(s, parent, code.name, exclude=code)
    old = code_path(s, code)
    code.parent_id = parent.id if parent is not None else None
    code.parent = parent
    code.position = _next_position(s, code.parent_id)
    s.flush()
    audit(s, actor, "move", "code", code.id, old=old, new=code_path(s, code))
    return code


def recolour_code(s: Session, ref: CodeRef, colour: str, *, actor: str) -> Code:
    code = get_code(s, ref)
    value = check_colour(colour)
    if value != code.colour:
        old = code.colour
        code.colour = value
        s.flush()
        audit(s, actor, "recolour", "code", code.id, old=old, new=value)
    return code


def set_key(s: Session, ref: CodeRef, key: str | None, *, actor: str) -> Code:
    """Give a code a one-key shortcut, or clear it with ``None`` or ``""``."""
    code = get_code(s, ref)
    value = check_key(s, key, code) if key and key.strip() else None
    if value != code.key:
        old = code.key
        code.key = value
        s.flush()
        audit(s, actor, "key", "code", code.id, old=old, new=value)
    return code


def define_code(
    s: Session,
    ref: CodeRef,
    *,
    actor: str,
    description: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    example: str | None = None,
) -> Code:
    """Change any of the code's definitions; fields left as ``None`` are kept."""
    code = get_code(s, ref)
    wanted = {
        "description": description,
        "inclusion": inclusion,
        "exclusion": exclusion,
        "example": example,
    }
    changed = []
    for name, value in wanted.items():
        if value is not None and value.strip() != getattr(code, name):
            setattr(code, name, value.strip())
            changed.append(name)
    if changed:
        s.flush()
        audit(s, actor, "define", "code", code.id, path=code_path(s, code), fields=changed)
    return code


def delete_code(s: Session, ref: CodeRef, *, actor: str) -> str:
    """Delete a code that has no codings and no children; returns its path."""
    code = get_code(s, ref)
    lock_codes(s, code)  # no coding of it can be committed from now on (see the module doc)
    path = code_path(s, code)
    if code.children:
        raise QualcodeError(f"{path!r} has sub-codes; move or merge them first")
    n = s.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == code.id)) or 0
    if n:
        raise QualcodeError(f"{path!r} has {n} coding(s); merge it into another code instead")
    s.execute(update(Memo).where(Memo.code_id == code.id).values(code_id=None))
    audit(s, actor, "delete", "code", code.id, path=path)
    s.delete(code)
    s.flush()
    return path


@dataclass
class MergeReport:
    """What a merge moves; :func:`plan_merge` fills it without changing anything."""

    source: str
    target: str
    moved: int = 0
    dropped: int = 0
    children: list[str] = field(default_factory=list)
    memos: int = 0
    key_freed: str | None = None
    nested: list[MergeReport] = field(default_factory=list)

    @property
    def codings(self) -> int:
        """Codings of the source (and merged sub-codes) that end up on the target."""
        return self.moved + sum(n.codings for n in self.nested)

    @property
    def total_dropped(self) -> int:
        return self.dropped + sum(n.total_dropped for n in self.nested)

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "codings_moved": self.moved,
            "duplicates_dropped": self.dropped,
            "children_moved": self.children,
            "memos_moved": self.memos,
            "key_freed": self.key_freed,
            "merged_subcodes": [n.as_json() for n in self.nested],
        }

    def summary(self, *, done: bool = False) -> str:
        move, merge = ("moved", "merged") if done else ("move", "merge")
        text = (
            f"{self.codings} coding(s) {move} from {self.source!r} to {self.target!r}"
            f"; {self.total_dropped} duplicate(s) dropped"
        )
        if self.children:
            text += f"; {len(self.children)} sub-code(s) {move}"
        if self.nested:
            text += f"; {len(self.nested)} sub-code(s) {merge} with same-named ones"
        return text


#: what an edit gives back: the code it changed, a merge's report, or a line saying what it did
EditResult = Code | MergeReport | str


def describe_edit(s: Session, result: EditResult) -> tuple[str, int | None]:
    """A line saying what an edit did, and the id of the code it changed (None for a merge or
    a deletion), for a face to show and highlight."""
    if isinstance(result, Code):
        return code_path(s, result), result.id
    if isinstance(result, MergeReport):
        return result.summary(done=True), None
    return result, None


def _check_merge(s: Session, source: Code, target: Code) -> None:
    if source.id == target.id:
        raise QualcodeError("cannot merge a code into itself")
    if is_descendant(s, target, source):
        raise QualcodeError(
            f"cannot merge {code_path(s, source)!r} into its own sub-code "
            f"{code_path(s, target)!r}; move the sub-code out first"
        )


def plan_merge(s: Session, source_ref: CodeRef, target_ref: CodeRef) -> MergeReport:
    """What :func:`merge_codes` would do, without changing anything."""
    return _merge(s, get_code(s, source_ref), get_code(s, target_ref), actor=None)


def merge_codes(s: Session, source_ref: CodeRef, target_ref: CodeRef, *, actor: str) -> MergeReport:
    """Merge ``source`` into ``target``: its codings (duplicates dropped), sub-codes, memos and
    group memberships go to the target, then the source is deleted. A sub-code whose name the
    target already uses is merged into that one, in the same way."""
    return _merge(s, get_code(s, source_ref), get_code(s, target_ref), actor=actor)


def _merge(s: Session, source: Code, target: Code, *, actor: str | None) -> MergeReport:
    write = actor is not None
    if write and source.id != target.id:
        # From here until the commit no coding of either code can be committed elsewhere, so
        # the codings read below are all there are when the source is deleted.
        lock_codes(s, source, target)
    _check_merge(s, source, target)
    report = MergeReport(source=code_path(s, source), target=code_path(s, target))
    taken = {
        tuple(r)
        for r in s.execute(
            select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end).where(
                Coding.code_id == target.id
            )
        ).all()
    }
    target_codings: dict[tuple[int, ...], Coding] = {}
    if write:
        for c in s.scalars(select(Coding).where(Coding.code_id == target.id)).all():
            target_codings[(c.document_id, c.coder_id, c.start, c.end)] = c
    for c in s.scalars(select(Coding).where(Coding.code_id == source.id)).all():
        key = (c.document_id, c.coder_id, c.start, c.end)
        if key in taken:
            report.dropped += 1
            if write:
                _fold_into(s, c, target_codings[key], actor)
        else:
            report.moved += 1
            taken.add(key)
            if write:
                assert actor is not None
                change_coding(s, c.id, actor, code_id=target.id, via="code merge")
                target_codings[key] = c
    if write:
        s.flush()
    target_names = {ch.name.casefold(): ch for ch in target.children}
    for child in list(source.children):
        same = target_names.get(child.name.casefold())
        if same is not None:
            report.nested.append(_merge(s, child, same, actor=actor))
        else:
            report.children.append(child.name)
            if write:
                child.parent_id = target.id
                child.parent = target
                child.position = _next_position(s, target.id)
                s.flush()
    report.memos = (
        s.scalar(select(func.count()).select_from(Memo).where(Memo.code_id == source.id)) or 0
    )
    report.key_freed = source.key
    if not write:
        return report
    assert actor is not None
    s.execute(update(Memo).where(Memo.code_id == source.id).values(code_id=target.id))
    groups_with_target = set(
        s.scalars(select(GroupMember.group_id).where(GroupMember.code_id == target.id)).all()
    )
    for member in s.scalars(select(GroupMember).where(GroupMember.code_id == source.id)).all():
        if member.group_id in groups_with_target:
            s.delete(member)
        else:
            member.code_id = target.id
    s.flush()
    audit(
        s,
        actor,
        "merge",
        "code",
        source.id,
        source=report.source,
        target=report.target,
        target_id=target.id,
        moved=report.moved,
        dropped=report.dropped,
        children=report.children,
        memos=report.memos,
    )
    s.expire(source, ["children"])
    s.delete(source)
    s.flush()
    return report


def _fold_into(s: Session, dup: Coding, keep: Coding, actor: str | None) -> None:
    """Drop a duplicate coding, its memos moving onto the one that stays."""
    assert actor is not None
    s.execute(update(Memo).where(Memo.coding_id == dup.id).values(coding_id=keep.id))
    delete_codings(s, [dup.id], actor, via="code merge", kept=keep.id)


@dataclass(frozen=True)
class CodeDetails:
    """A code as an editor shows it: definitions, key, colour and how much it is used."""

    id: int
    parent_id: int | None
    path: str
    name: str
    colour: str
    key: str | None
    description: str
    inclusion: str
    exclusion: str
    example: str
    codings: int
    coders: int
    children: int
    memos: int

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.path,
            "key": self.key,
            "colour": self.colour,
            "description": self.description,
            "inclusion": self.inclusion,
            "exclusion": self.exclusion,
            "example": self.example,
            "codings": self.codings,
            "coders": self.coders,
            "children": self.children,
            "memos": self.memos,
        }


def code_details(s: Session) -> dict[int, CodeDetails]:
    """Every code's details by id."""
    paths = code_paths(s)
    codings = dict(s.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id)).all())
    coders = dict(
        s.execute(
            select(Coding.code_id, func.count(func.distinct(Coding.coder_id))).group_by(
                Coding.code_id
            )
        ).all()
    )
    memos = dict(
        s.execute(
            select(Memo.code_id, func.count())
            .where(Memo.code_id.is_not(None))
            .group_by(Memo.code_id)
        ).all()
    )
    children: dict[int, int] = {}
    codes = s.scalars(select(Code)).all()
    for c in codes:
        if c.parent_id is not None:
            children[c.parent_id] = children.get(c.parent_id, 0) + 1
    return {
        c.id: CodeDetails(
            id=c.id,
            parent_id=c.parent_id,
            path=paths[c.id],
            name=c.name,
            colour=c.colour,
            key=c.key,
            description=c.description,
            inclusion=c.inclusion,
            exclusion=c.exclusion,
            example=c.example,
            codings=codings.get(c.id, 0),
            coders=coders.get(c.id, 0),
            children=children.get(c.id, 0),
            memos=memos.get(c.id, 0),
        )
        for c in codes
    }
