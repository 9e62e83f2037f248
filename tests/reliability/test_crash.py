"""SIGKILL in the middle of long work: the project opens, checks clean, and holds all or none
of each interrupted batch; no coding that was committed is lost."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.ingest import import_files
from qualcode.store import open_project
from qualcode.store.check import check_project
from qualcode.store.models import Coder, Coding, Document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import write_corpus
from crash_helpers import kill_when, spawn

pytestmark = pytest.mark.slow

IMPORT = """
import sys
from pathlib import Path
from qualcode.ingest import import_files
from qualcode.store import open_project
project = open_project(sys.argv[1])
files = sorted(Path(sys.argv[2]).glob("*.txt"))
def step(done, total, name):
    if done == 3:
        print("started", flush=True)
import_files(project, files, actor="crash", progress=step)
print("done", flush=True)
"""

BURST = """
import sys
from qualcode.coding.history import History
from qualcode.store import open_project
project = open_project(sys.argv[1])
history = History(project, "burst")
print("started", flush=True)
for i in range(100000):
    (cid,) = history.add(1, 1, i % 900, i % 900 + 5 + i // 900)
    print(cid, flush=True)
"""

# The merge says where it is from inside its transaction: "inside" once its codings are inserted
# (one bulk INSERT through the owner of coding rows), and "committing" just before COMMIT.
# Stopping "mid", it then waits a few seconds before its next statement (the audit records), so
# the kill lands before "committing"; stopping at "commit", it waits there with every coding
# written.
MERGE = """
import sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from qualcode.coding.merge import merge_projects
from qualcode.store import open_project
project = open_project(sys.argv[1])
stop_at = sys.argv[3]
inserted = False

@event.listens_for(Engine, "after_cursor_execute")
def inside(conn, cursor, statement, parameters, context, executemany):
    global inserted
    if statement.lstrip().upper().startswith("INSERT INTO CODINGS"):
        inserted = True
        print("inside", flush=True)
        if stop_at == "mid":
            time.sleep(5)

@event.listens_for(Session, "before_commit")
def committing(session):
    if inserted:
        print("committing", flush=True)
        if stop_at == "commit":
            time.sleep(60)

print("started", flush=True)
merge_projects(project, sys.argv[2], actor="crash")
print("done", flush=True)
"""
MERGE_CODINGS = 3000


def sound(path: Path) -> None:
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    assert check_project(open_project(path)) == []


def count(path: Path, model: type) -> int:
    with open_project(path).session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("delay", [0.0, 0.15])
def test_killed_import_leaves_all_or_nothing(tmp_path: Path, delay: float) -> None:
    corpus = write_corpus(tmp_path / "corpus", 40, 3000)
    path = tmp_path / "p.db"
    project = open_project(path, create=True)
    import_files(project, corpus[:2], actor="t")
    project.dispose()
    lines = kill_when(spawn(IMPORT, str(path), str(tmp_path / "corpus")), "started", delay)
    assert "done" not in lines, "the import finished before it could be killed"
    sound(path)
    assert count(path, Document) == 2  # the interrupted batch left nothing


def _coded_project(path: Path, tmp_path: Path) -> None:
    project = open_project(path, create=True)
    with project.write() as s:
        apply_codebook(s, parse_codebook("codes:\n- name: A\n"), actor="t")
    (tmp_path / "d.txt").write_text("x" * 2000, encoding="utf-8")
    import_files(project, [tmp_path / "d.txt"], actor="t")
    project.dispose()


def test_killed_burst_of_codings_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    _coded_project(path, tmp_path)
    lines = kill_when(spawn(BURST, str(path)), "started", 0.8)
    committed = {int(x) for x in lines if x.isdigit()}
    assert len(committed) > 5
    sound(path)
    with open_project(path).session() as s:
        stored = set(s.scalars(select(Coding.id)))
    assert committed <= stored
    assert len(stored) - len(committed) <= 1  # at most the one committed as the kill came


@pytest.mark.parametrize(("stop_at", "marker"), [("mid", "inside"), ("commit", "committing")])
def test_killed_merge_leaves_all_or_nothing(tmp_path: Path, stop_at: str, marker: str) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    _coded_project(mine, tmp_path)
    _coded_project(theirs, tmp_path)
    other = open_project(theirs)
    with other.write() as s:
        coders = [Coder(name=f"c{n}") for n in range(3)]
        s.add_all(coders)
        s.flush()
        s.add_all(
            Coding(
                document_id=1,
                code_id=1,
                coder_id=coders[i % 3].id,
                start=i % 1500,
                end=i % 1500 + 10 + i // 1500,
            )
            for i in range(MERGE_CODINGS)
        )
    other.dispose()
    child = spawn(MERGE, str(mine), str(theirs), stop_at)
    lines = kill_when(child, marker, 0.2)
    # the kill landed inside the merge's transaction: after the signal, before the end
    assert marker in lines, lines[-5:]
    assert "done" not in lines, "the merge finished before it could be killed"
    if stop_at == "mid":
        assert "committing" not in lines, "the merge reached its commit before the kill"
    sound(mine)
    assert count(mine, Coding) == 0  # the interrupted merge left nothing
    with open_project(mine).session() as s:
        assert list(s.scalars(select(Coder.name))) == []  # nor the coders it brought
