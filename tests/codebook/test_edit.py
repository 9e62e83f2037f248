"""Editing the codebook in place: every edit audited, bad edits refused with one clear line."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.codebook.edit import (
    add_code,
    define_code,
    delete_code,
    describe_edit,
    merge_codes,
    move_code,
    plan_merge,
    recolour_code,
    rename_code,
    set_key,
)
from qualcode.coding.codes import code_paths
from qualcode.coding.codings import coding_memos
from qualcode.errors import QualcodeError
from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import (
    AuditEntry,
    Code,
    Coder,
    Coding,
    Document,
    Group,
    GroupMember,
    Memo,
)

from ..run_cli import cli

ACTOR = "lead"


def make_project(url: str) -> Project:
    """Codes: Triage{Plea bargaining, Dismissal}, Workload{Plea bargaining, Volume}, Lab."""
    p = open_project(url, create=True)
    with p.write() as s:
        s.add(
            Document(name="d.txt", text="x" * 100, sha256="h", source_name="d", source_format="txt")
        )
        s.add_all([Coder(name="ana"), Coder(name="ben")])
        triage = Code(name="Triage", guid="t", key="k", colour="#aa0000", position=0)
        workload = Code(name="Workload", guid="w", position=1)
        lab = Code(name="Lab", guid="l", position=2)
        s.add_all([triage, workload, lab])
        s.flush()
        s.add_all(
            [
                Code(name="Plea bargaining", guid="tp", parent_id=triage.id, position=0),
                Code(name="Dismissal", guid="td", parent_id=triage.id, position=1),
                Code(name="Plea bargaining", guid="wp", parent_id=workload.id, position=0),
                Code(name="Volume", guid="wv", parent_id=workload.id, position=1, key="b"),
            ]
        )
    return p


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """The project on SQLite."""
    p = make_project(str(tmp_path / "p.db"))
    yield p
    p.dispose()


@pytest.fixture
def project_any(backend_url: str) -> Iterator[Project]:
    """The project on SQLite and on PostgreSQL (skipped when no server is reachable)."""
    p = make_project(backend_url)
    yield p
    p.dispose()


def paths(p: Project) -> list[str]:
    with p.session() as s:
        return sorted(code_paths(s).values())


def actions(p: Project) -> list[tuple[str, str]]:
    with p.session() as s:
        return [(a.action, a.entity) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def code(p: Project, path: str) -> Code:
    with p.session() as s:
        cid = {v: k for k, v in code_paths(s).items()}[path]
        return s.get_one(Code, cid)


def coding(p: Project, path: str, coder: str, start: int, end: int, memo: str | None = None) -> int:
    with p.write() as s:
        cid = {v: k for k, v in code_paths(s).items()}[path]
        coder_id = s.scalar(select(Coder.id).where(Coder.name == coder))
        c = Coding(document_id=1, code_id=cid, coder_id=coder_id, start=start, end=end)
        s.add(c)
        s.flush()
        if memo is not None:
            s.add(Memo(body=memo, coding_id=c.id, coder_id=coder_id))
        return c.id


def test_add_under_a_parent_takes_its_colour_and_goes_last(project: Project) -> None:
    with project.write() as s:
        new = add_code(s, "  Charging   priorities ", parent="Triage", actor=ACTOR)
        top = add_code(s, "Recommendations", actor=ACTOR, colour="ABC", key="9")
    assert "Triage/Charging priorities" in paths(project)
    added = code(project, "Triage/Charging priorities")
    assert (added.colour, added.position, added.guid != "") == ("#aa0000", 2, True)
    assert new.id == added.id
    made = code(project, "Recommendations")
    assert (made.colour, made.key, made.position, made.parent_id) == ("#aabbcc", "9", 3, None)
    assert top.id == made.id
    assert actions(project) == [("add", "code"), ("add", "code")]


@pytest.mark.parametrize(
    ("name", "parent", "message"),
    [
        ("dismissal", "Triage", "there is already a code 'Dismissal' under 'Triage'"),
        ("LAB", None, "there is already a code 'Lab' at the top level"),
        ("   ", None, "needs a name"),
        ("New", "Nowhere", "no code 'Nowhere'"),
    ],
)
def test_add_refuses(project: Project, name: str, parent: str | None, message: str) -> None:
    with pytest.raises(QualcodeError, match=message), project.write() as s:
        add_code(s, name, parent=parent, actor=ACTOR)
    assert actions(project) == []


def test_rename(project: Project) -> None:
    with project.write() as s:
        rename_code(s, "Triage/Dismissal", "Dismissals", actor=ACTOR)
    assert "Triage/Dismissals" in paths(project)
    with project.session() as s:
        entry = s.scalars(select(AuditEntry)).one()
    assert entry.detail == {"old": "Triage/Dismissal", "new": "Triage/Dismissals"}
    clash = "already a code 'Plea bargaining' under 'Triage'"
    with pytest.raises(QualcodeError, match=clash), project.write() as s:
        rename_code(s, "Triage/Dismissals", "plea bargaining", actor=ACTOR)
    with project.write() as s:  # a change of case only is not a clash with itself
        rename_code(s, "Lab", "LAB", actor=ACTOR)
    assert "LAB" in paths(project)


def test_two_crossing_moves_cannot_make_a_cycle(project_any: Project) -> None:
    """Lab under Workload in one transaction while another moves Workload under Lab: the
    second waits for the first (PostgreSQL's tree lock; SQLite's single writer) and is then
    refused, so the tree stays a tree."""
    project = project_any
    first_moved = threading.Event()
    outcome: list[str] = []

    def second() -> None:
        first_moved.wait(5)
        try:
            with project.write() as s:
                move_code(s, "Workload", "Lab", actor="ben")
            outcome.append("moved")
        except QualcodeError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=second)
    thread.start()
    with project.write() as s:
        move_code(s, "Lab", "Workload", actor=ACTOR)
        first_moved.set()
        time.sleep(0.5)  # the second move runs now, against the tree before this commit
    thread.join(10)
    assert len(outcome) == 1 and "cannot go inside itself" in outcome[0]
    assert "Workload/Lab" in paths(project)


def test_move_with_children_and_refuse_cycles_and_clashes(project_any: Project) -> None:
    project = project_any
    with project.write() as s:
        move_code(s, "Lab", "Workload/Volume", actor=ACTOR)
    assert "Workload/Volume/Lab" in paths(project)
    with project.write() as s:
        move_code(s, "Workload", "Triage/Dismissal", actor=ACTOR)
    assert "Triage/Dismissal/Workload/Volume/Lab" in paths(project)
    with pytest.raises(QualcodeError, match="cannot go inside itself"), project.write() as s:
        move_code(s, "Triage", "Triage/Dismissal/Workload", actor=ACTOR)
    with pytest.raises(QualcodeError, match="cannot go inside itself"), project.write() as s:
        move_code(s, "Triage", "Triage", actor=ACTOR)
    clash = "already a code 'Plea bargaining'"
    with pytest.raises(QualcodeError, match=clash), project.write() as s:
        move_code(s, "Triage/Dismissal/Workload/Plea bargaining", "Triage", actor=ACTOR)
    with project.write() as s:
        move_code(s, "Triage/Dismissal/Workload", None, actor=ACTOR)
    assert "Workload/Volume/Lab" in paths(project)
    assert [a for a, _e in actions(project)] == ["move", "move", "move"]


def test_recolour_key_and_define(project: Project) -> None:
    with project.write() as s:
        recolour_code(s, "Lab", "#00FF00", actor=ACTOR)
        set_key(s, "Lab", "3", actor=ACTOR)
        set_key(s, "Triage", None, actor=ACTOR)
        set_key(s, "Workload", "k", actor=ACTOR)  # free again now
        define_code(s, "Lab", description=" Lab delays ", example="eleven months", actor=ACTOR)
    lab = code(project, "Lab")
    assert (lab.colour, lab.key, lab.description, lab.example) == (
        "#00ff00",
        "3",
        "Lab delays",
        "eleven months",
    )
    assert lab.inclusion == ""
    assert code(project, "Triage").key is None
    assert code(project, "Workload").key == "k"
    with project.write() as s:  # unchanged values write nothing
        define_code(s, "Lab", description="Lab delays", actor=ACTOR)
        recolour_code(s, "Lab", "#00ff00", actor=ACTOR)
    assert [a for a, _e in actions(project)] == ["recolour", "key", "key", "key", "define"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("e", "used by the coding screen"),
        ("B", "one lower-case letter or digit"),
        ("ab", "one lower-case letter or digit"),
        ("b", "already belongs to 'Workload/Volume'"),
    ],
)
def test_bad_keys(project: Project, key: str, message: str) -> None:
    with pytest.raises(QualcodeError, match=message), project.write() as s:
        set_key(s, "Lab", key, actor=ACTOR)


def test_bad_colour(project: Project) -> None:
    with pytest.raises(QualcodeError, match="not #rrggbb"), project.write() as s:
        recolour_code(s, "Lab", "red", actor=ACTOR)


def test_merge_moves_codings_drops_duplicates_children_memos_and_groups(
    project_any: Project,
) -> None:
    project = project_any
    moved = coding(project, "Triage", "ana", 0, 10, memo="from triage")
    dup = coding(project, "Triage", "ben", 20, 30, memo="dup memo")
    kept = coding(project, "Lab", "ben", 20, 30, memo="lab memo")
    coding(project, "Lab", "ana", 40, 50)
    coding(project, "Triage/Plea bargaining", "ana", 60, 70)
    with project.write() as s:
        triage_id = code(project, "Triage").id
        lab_id = code(project, "Lab").id
        s.add(Memo(body="on the code", code_id=triage_id))
        s.add(Memo(body="on the duplicate", coding_id=dup))
        both = Group(kind="code", name="both", guid="g1")
        one = Group(kind="code", name="one", guid="g2")
        s.add_all([both, one])
        s.flush()
        s.add_all(
            [
                GroupMember(group_id=both.id, code_id=triage_id),
                GroupMember(group_id=both.id, code_id=lab_id),
                GroupMember(group_id=one.id, code_id=triage_id),
            ]
        )
    with project.session() as s:
        plan = plan_merge(s, "Triage", "Lab")
    assert (plan.moved, plan.dropped, plan.children, plan.memos, plan.key_freed) == (
        1,
        1,
        ["Plea bargaining", "Dismissal"],
        1,
        "k",
    )
    assert "1 coding(s) move from 'Triage' to 'Lab'; 1 duplicate(s) dropped" in plan.summary()
    assert "Triage" in paths(project)  # planning changed nothing
    with project.write() as s:
        report = merge_codes(s, "Triage", "Lab", actor=ACTOR)
    assert report.as_json() == plan.as_json()
    assert paths(project) == [
        "Lab",
        "Lab/Dismissal",
        "Lab/Plea bargaining",
        "Workload",
        "Workload/Plea bargaining",
        "Workload/Volume",
    ]
    with project.session() as s:
        rows = s.execute(select(Coding.id, Coding.code_id, Coding.start)).all()
        by_id = {r.id: r for r in rows}
        assert by_id[moved].code_id == lab_id
        assert dup not in by_id
        # the duplicate's memo moved onto the coding that stays
        on_kept = set(coding_memos(s)[kept].split("\n\n"))
        assert on_kept == {"lab memo", "dup memo", "on the duplicate"}
        assert len(rows) == 4
        memos = {m.body: m for m in s.scalars(select(Memo))}
        assert memos["on the code"].code_id == lab_id
        assert memos["on the duplicate"].coding_id == kept
        members = s.execute(select(Group.name, GroupMember.code_id).join(GroupMember.group)).all()
        assert sorted(tuple(m) for m in members) == [("both", lab_id), ("one", lab_id)]
        assert s.get(Code, triage_id) is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
        assert entry.detail is not None and entry.detail["moved"] == 1


def test_merge_same_named_children_merge_too(project_any: Project) -> None:
    project = project_any
    coding(project, "Triage/Plea bargaining", "ana", 0, 5)
    coding(project, "Triage/Plea bargaining", "ana", 10, 15)
    coding(project, "Workload/Plea bargaining", "ana", 10, 15)
    with project.write() as s:
        report = merge_codes(s, "Triage", "Workload", actor=ACTOR)
    assert report.children == ["Dismissal"]
    assert [(n.source, n.target, n.moved, n.dropped) for n in report.nested] == [
        ("Triage/Plea bargaining", "Workload/Plea bargaining", 1, 1)
    ]
    assert (report.codings, report.total_dropped) == (1, 1)
    assert paths(project) == [
        "Lab",
        "Workload",
        "Workload/Dismissal",
        "Workload/Plea bargaining",
        "Workload/Volume",
    ]
    with project.session() as s:
        target = {v: k for k, v in code_paths(s).items()}["Workload/Plea bargaining"]
        spans = s.execute(select(Coding.code_id, Coding.start)).all()
    assert sorted(tuple(r) for r in spans) == [(target, 0), (target, 10)]


def test_merge_refuses_itself_and_its_own_subcode(project: Project) -> None:
    with pytest.raises(QualcodeError, match="into itself"), project.write() as s:
        merge_codes(s, "Lab", "Lab", actor=ACTOR)
    with pytest.raises(QualcodeError, match="its own sub-code"), project.write() as s:
        merge_codes(s, "Triage", "Triage/Dismissal", actor=ACTOR)
    assert actions(project) == []


def test_delete_only_unused_leaf_codes(project: Project) -> None:
    coding(project, "Lab", "ana", 0, 5)
    with pytest.raises(QualcodeError, match="has 1 coding"), project.write() as s:
        delete_code(s, "Lab", actor=ACTOR)
    with pytest.raises(QualcodeError, match="has sub-codes"), project.write() as s:
        delete_code(s, "Triage", actor=ACTOR)
    with project.write() as s:
        assert delete_code(s, "Triage/Dismissal", actor=ACTOR) == "Triage/Dismissal"
    assert "Triage/Dismissal" not in paths(project)


def test_describe_edit_names_the_code_changed(project: Project) -> None:
    coding(project, "Triage/Dismissal", "ana", 0, 5)
    with project.write() as s:
        renamed = rename_code(s, "Triage/Dismissal", "Dismissals", actor=ACTOR)
        assert describe_edit(s, renamed) == ("Triage/Dismissals", renamed.id)
        report = merge_codes(s, "Triage/Dismissals", "Lab", actor=ACTOR)
        text, code_id = describe_edit(s, report)
        assert code_id is None
        assert text.startswith("1 coding(s) moved from 'Triage/Dismissals' to 'Lab'")
        assert describe_edit(s, delete_code(s, "Workload/Volume", actor=ACTOR)) == (
            "Workload/Volume",
            None,
        )


def test_cli_codes(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    db = project.url

    def ok(*args: str) -> str:
        code, out, err = cli(capsys, "codes", *args, "--project", db)
        assert code == 0, err
        return out

    def fails(*args: str) -> str:
        code, _out, err = cli(capsys, "codes", *args, "--project", db)
        assert code == 2
        return err

    assert (
        json.loads(ok("add", "Charging", "--parent", "Triage", "--key", "9", "--json"))["code"]
        == "Triage/Charging"
    )
    assert "already a code 'Charging' under 'Triage'" in fails(
        "add", "charging", "--parent", "Triage"
    )
    assert "renamed: Triage/Charging priorities" in ok("rename", "Charging", "Charging priorities")
    assert "moved: Workload/Charging priorities" in ok("move", "Charging priorities", "Workload")
    assert "moved: Charging priorities" in ok("move", "Workload/Charging priorities", "--top")
    assert "give the new parent code, or --top" in fails("move", "Lab")
    assert "colour #112233" in ok("colour", "Lab", "112233")
    assert "key 4" in ok("key", "Lab", "4")
    assert "no key" in ok("key", "Lab", "--clear")
    assert "used by the coding screen" in fails("key", "Lab", "q")
    assert "definitions saved" in ok("define", "Lab", "--inclusion", "Lab waits")
    assert code(project, "Lab").inclusion == "Lab waits"
    coding(project, "Lab", "ana", 0, 5)
    plan = json.loads(ok("merge", "Lab", "Charging priorities", "--dry-run", "--json"))
    assert (plan["dry_run"], plan["codings_moved"]) == (True, 1)
    assert "Lab" in paths(project)
    assert "merged: 1 coding(s) moved from 'Lab' to 'Charging priorities'" in ok(
        "merge", "Lab", "Charging priorities"
    )
    assert "has 1 coding(s)" in fails("delete", "Charging priorities")
    assert "deleted: Triage/Dismissal" in ok("delete", "Triage/Dismissal")
    assert actions(project) == [
        ("add", "code"),
        ("rename", "code"),
        ("move", "code"),
        ("move", "code"),
        ("recolour", "code"),
        ("key", "code"),
        ("key", "code"),
        ("define", "code"),
        ("change", "coding"),  # the merge moved a coding: audited like any change of code
        ("merge", "code"),
        ("delete", "code"),
    ]
