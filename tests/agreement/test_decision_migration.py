"""Migration 0004: a 0003 project's decision lines (``qualcode-adjudication:{json}`` at the end of
a memo) become ``memos.decision``; the memos keep their words, and every item stays settled."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select

from qualcode.agreement.adjudicate import load_review
from qualcode.agreement.consensus import settle
from qualcode.coding.merge import merge_projects
from qualcode.store import Memo, Project, open_project
from qualcode.store.migrate import alembic_config, current_revision, head_revision

from .test_adjudicate import CODINGS, SEGMENTS, TEXT, P

MARKER = "qualcode-adjudication:"
BROKEN = f"notes\n{MARKER}{{not json"


def decisions(project: Project) -> dict[int, tuple[str, dict[str, Any] | None]]:
    with project.session() as s:
        rows = s.execute(select(Memo.id, Memo.body, Memo.decision).order_by(Memo.id)).all()
    return {i: (body, decision) for i, body, decision in rows}


def test_a_0003_project_with_decision_lines_is_upgraded(make_project: Any) -> None:
    project: Project = make_project({n: (TEXT, SEGMENTS) for n in ("D1", "D2", "D3")}, CODINGS)
    settle(
        project, load_review(project, P, "alice", "bob", unit="character"), 1, "b", decided_by="sue"
    )
    settle(
        project,
        load_review(project, P, "alice", "bob", unit="character"),
        2,
        "drop",
        decided_by="sue",
    )
    with project.write() as s:
        s.add(Memo(title="by hand", body=BROKEN))
    before = decisions(project)
    assert sum(d is not None for _, d in before.values()) == 2
    path = Path(str(project.path))
    command.downgrade(alembic_config(project.engine), "0003")
    project.dispose()

    # the 0003 project: each decision is its memo's last line, as 0003's qualcode wrote it
    con = sqlite3.connect(path)
    try:
        old = dict(con.execute("SELECT id, body FROM memos").fetchall())
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    finally:
        con.close()
    for memo_id, (body, decision) in before.items():
        if decision is None:
            assert old[memo_id] == body
            continue
        *words, last = old[memo_id].splitlines()
        assert "\n".join(words) == body and last.startswith(MARKER)
        assert json.loads(last[len(MARKER) :]) == decision

    upgraded = open_project(path)
    try:
        assert current_revision(upgraded.engine) == head_revision()
        assert decisions(upgraded) == before  # words in the body, the decision as data
        assert decisions(upgraded)[max(before)] == (BROKEN, None)  # unreadable: left as it was
        review = load_review(upgraded, P, "alice", "bob", unit="character")
        assert [i.decision.choice if i.decision else None for i in review.items] == [
            "b",
            "drop",
            None,
        ]
    finally:
        upgraded.dispose()
    assert len(list(path.parent.glob(f"{path.name}.backup-0003-*"))) == 1


def test_a_merged_decision_names_this_projects_document_and_code(make_project: Any) -> None:
    docs = {n: (TEXT, SEGMENTS) for n in ("D1", "D2", "D3")}
    theirs: Project = make_project(docs, CODINGS)
    review = load_review(theirs, P, "alice", "bob", unit="character")
    settle(theirs, review, 1, "b", decided_by="sue")
    # the same documents and codings, stored in another order: other ids
    mine: Project = make_project(dict(reversed(docs.items())), list(reversed(CODINGS)))
    merge_projects(mine, str(theirs.path), actor="sue")
    (item, *_) = load_review(mine, P, "alice", "bob", unit="character").items
    assert item.decision is not None and item.decision.choice == "b"
    with mine.session() as s:
        (decision,) = s.scalars(select(Memo.decision).where(Memo.decision.is_not(None)))
    with theirs.session() as s:
        (original,) = s.scalars(select(Memo.decision).where(Memo.decision.is_not(None)))
    assert decision is not None and original is not None
    assert decision["document_id"] != original["document_id"]
