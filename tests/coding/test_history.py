"""Undo and redo of coding changes, committed to the store at every step."""

from __future__ import annotations

from sqlalchemy import select

from qualcode.coding.history import History
from qualcode.store import Code, Coding, Document, Project


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
        assert s.scalar(select(Coding.memo)) == "first word"
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


def test_last_effect_lets_a_view_follow_every_change(any_project: Project) -> None:
    """Applying each operation's effect (deletions first, then fetching what it added) to a
    copy keeps that copy equal to the store, through extend (which may reuse the deleted
    row's id), re-code, remove, a batch, undo and redo; an operation that changes nothing has
    an empty effect."""
    doc, a, b = setup(any_project)
    history = History(any_project, "ana")
    mirror: dict[int, tuple[int, int, int]] = {}

    def stored() -> dict[int, tuple[int, int, int]]:
        with any_project.session() as s:
            rows = s.execute(select(Coding.id, Coding.code_id, Coding.start, Coding.end))
            return {cid: (code, start, end) for cid, code, start, end in rows}

    def follow() -> None:
        effect = history.last_effect
        for cid in effect.removed:
            del mirror[cid]
        now = stored()
        for cid in effect.added:
            mirror[cid] = now[cid]
        assert mirror == now

    (cid,) = history.add(doc, a, 0, 3)
    follow()
    cid = history.replace(cid, end=7, label="extend")
    follow()
    assert history.last_effect.removed and history.last_effect.added
    cid = history.replace(cid, code_id=b, label="re-code")
    follow()
    history.add_many([(doc, a, 4, 7), (doc, b, 15, 19), (doc, b, 0, 7)])
    follow()
    assert len(history.last_effect.added) == 2  # (b, 0, 7) was there already
    history.remove([cid])
    follow()
    for _ in range(4):
        history.undo()
        follow()
    for _ in range(2):
        history.redo()
        follow()
    history.add(doc, b, 0, 7)  # there again after the redos: nothing to do
    assert history.last_effect.added == [] and history.last_effect.removed == []
