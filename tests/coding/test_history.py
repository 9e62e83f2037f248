"""Undo and redo of coding changes, committed to the store at every step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qualcode.coding.codings import coding_memos
from qualcode.coding.edits import (
    AddCodings,
    ChangeCoding,
    CodingEdit,
    NewCoding,
    Outcome,
    Redo,
    RemoveCodings,
    SetCodingMemo,
    Undo,
)
from qualcode.coding.history import History
from qualcode.errors import QualcodeError
from qualcode.store import AuditEntry, Code, Coding, Document, Project


def setup(project: Project) -> tuple[int, int, int]:
    with project.write() as s:
        doc = Document(
            name="d.txt",
            text="One two three. Four five six.",
            sha256="h",
            source_name="d",
            source_format="txt",
        )
        a = Code(name="A", guid="ga")
        b = Code(name="B", guid="gb")
        s.add_all([doc, a, b])
        s.flush()
        return doc.id, a.id, b.id


def spans(project: Project) -> list[tuple[int, int, int]]:
    with project.session() as s:
        return sorted(tuple(r) for r in s.execute(select(Coding.code_id, Coding.start, Coding.end)))


def test_add_undo_redo(any_project: Project) -> None:
    doc, a, _b = setup(any_project)
    history = History(any_project, "ana")
    history.add(doc, a, 0, 14)
    assert spans(any_project) == [(a, 0, 14)]
    assert history.undo() == "code"
    assert spans(any_project) == []
    assert history.redo() == "code"
    assert spans(any_project) == [(a, 0, 14)]
    assert history.redo() is None


def test_a_batch_is_one_undo(any_project: Project) -> None:
    doc, a, _b = setup(any_project)
    history = History(any_project, "ana")
    history.add(doc, a, 0, 3)
    history.add_many([(doc, a, 4, 7), (doc, a, 15, 19), (doc, a, 0, 3)], label="auto-code")
    assert len(spans(any_project)) == 3
    assert history.undo() == "auto-code"
    assert spans(any_project) == [(a, 0, 3)]


def test_remove_recode_and_resize_are_undoable(any_project: Project) -> None:
    doc, a, b = setup(any_project)
    history = History(any_project, "ana")
    (cid,) = history.add(doc, a, 0, 3, memo="first word")
    cid = history.replace(cid, end=7, label="extend")
    assert spans(any_project) == [(a, 0, 7)]
    cid = history.replace(cid, code_id=b, label="re-code")
    assert spans(any_project) == [(b, 0, 7)]
    history.remove([cid])
    assert spans(any_project) == []
    assert [history.undo() for _ in range(3)] == ["remove", "re-code", "extend"]
    assert spans(any_project) == [(a, 0, 3)]
    with any_project.session() as s:
        assert list(coding_memos(s).values()) == ["first word"]
    assert history.redo() == "extend"
    assert spans(any_project) == [(a, 0, 7)]


def test_a_new_change_clears_redo(any_project: Project) -> None:
    doc, a, _b = setup(any_project)
    history = History(any_project, "ana")
    history.add(doc, a, 0, 3)
    history.undo()
    history.add(doc, a, 4, 7)
    assert not history.can_redo
    assert spans(any_project) == [(a, 4, 7)]


def test_outcomes_let_a_view_follow_every_change(any_project: Project) -> None:
    """Applying each edit's outcome (removals first, then reading what it added) to a copy
    keeps that copy equal to the store, through extend, re-code, remove, a batch, a memo,
    undo and redo; an edit that changes nothing has an empty outcome."""
    doc, a, b = setup(any_project)
    history = History(any_project, "ana")
    mirror: dict[int, tuple[int, int, int, str | None]] = {}

    def stored() -> dict[int, tuple[int, int, int, str | None]]:
        with any_project.session() as s:
            memos = coding_memos(s)
            rows = s.execute(select(Coding.id, Coding.code_id, Coding.start, Coding.end))
            return {cid: (code, start, end, memos.get(cid)) for cid, code, start, end in rows}

    def follow(edit: CodingEdit) -> Outcome:
        outcome = history.apply(edit)
        for cid in outcome.removed:
            del mirror[cid]
        now = stored()
        for cid in outcome.added:
            mirror[cid] = now[cid]
        assert mirror == now
        return outcome

    first = follow(AddCodings((NewCoding(doc, a, 0, 3),)))
    (cid,) = first.ids
    assert first.added == (cid,) and first.document_ids == {doc}
    extended = follow(ChangeCoding(cid, end=7, label="extend"))
    assert extended.added == (cid,) and extended.ids == (cid,)  # changed in place: same id
    follow(ChangeCoding(cid, code_id=b, label="re-code"))
    follow(SetCodingMemo(cid, "why b"))
    batch = follow(AddCodings((NewCoding(doc, a, 4, 7), NewCoding(doc, b, 0, 7))))
    assert len(batch.added) == 1 and len(batch.ids) == 2  # (b, 0, 7) was there already
    follow(RemoveCodings((cid,)))
    for _ in range(6):
        assert follow(Undo()).changed
    assert mirror == {}
    assert not follow(Undo()).changed
    for _ in range(3):
        follow(Redo())
    nothing = follow(AddCodings((NewCoding(doc, b, 0, 7),)))  # there again: nothing to do
    assert not nothing.changed and nothing.added == () and nothing.removed == ()


def memo_of(project: Project, coding_id: int) -> str | None:
    with project.session() as s:
        return coding_memos(s).get(coding_id)


def test_undo_and_redo_keep_memos(any_project: Project) -> None:
    """A memo is an undoable edit, and a removed coding comes back with its memo: redo
    restores exactly what undo removed."""
    doc, a, _b = setup(any_project)
    history = History(any_project, "ana")
    (cid,) = history.add(doc, a, 0, 3)
    assert history.set_memo(cid, "first thought")
    assert history.set_memo(cid, "second thought")
    assert memo_of(any_project, cid) == "second thought"
    assert history.undo() == "memo"
    assert memo_of(any_project, cid) == "first thought"
    assert history.redo() == "memo"
    history.remove([cid])
    assert spans(any_project) == []
    assert history.undo() == "remove"
    (back,) = [c for c in stored_ids(any_project)]
    assert memo_of(any_project, back) == "second thought"
    assert history.redo() == "remove" and spans(any_project) == []
    history.undo()
    # undo of the code itself, then redo: the coding and its memo come back
    history.undo()
    history.undo()
    assert history.undo() == "code" and spans(any_project) == []
    assert history.redo() == "code"
    (again,) = stored_ids(any_project)
    assert memo_of(any_project, again) is None
    assert history.redo() == "memo" and memo_of(any_project, again) == "first thought"


def stored_ids(project: Project) -> list[int]:
    with project.session() as s:
        return list(s.scalars(select(Coding.id)))


def test_a_coder_changes_only_their_own(any_project: Project) -> None:
    doc, a, b = setup(any_project)
    (theirs,) = History(any_project, "bob").add(doc, a, 0, 3)
    mine = History(any_project, "ana")
    for edit in (
        RemoveCodings((theirs,)),
        ChangeCoding(theirs, code_id=b),
        SetCodingMemo(theirs, "not mine"),
    ):
        with pytest.raises(QualcodeError, match="bob's, not ana's"):
            mine.apply(edit)
    assert spans(any_project) == [(a, 0, 3)] and memo_of(any_project, theirs) is None


def test_every_change_is_audited_with_what_it_needs_to_be_rebuilt(any_project: Project) -> None:
    doc, a, b = setup(any_project)
    history = History(any_project, "ana")
    (cid,) = history.add(doc, a, 0, 3, memo="note")
    history.replace(cid, code_id=b)
    history.remove([cid])
    with any_project.session() as s:
        log = [(e.action, e.entity_id, e.detail) for e in s.scalars(select(AuditEntry))]
    wanted = {"document": "d.txt", "coder": "ana", "start": 0, "end": 3, "memo": "note"}
    (add,) = [d for act, _, d in log if act == "add"]
    (change,) = [d for act, _, d in log if act == "change"]
    (remove,) = [d for act, _, d in log if act == "remove"]
    assert add is not None and change is not None and remove is not None
    assert wanted.items() <= add.items() and add["code"] == "A"
    assert change["code"] == "B" and change["replaced"]["code"] == "A"
    assert wanted.items() <= remove.items() and remove["code"] == "B"
