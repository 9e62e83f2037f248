"""SIGKILL in the middle of long work: the project opens, checks clean, and holds all or none
of each interrupted batch; no coding that was committed is lost."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.coding import add_coding
from qualcode.ingest import import_files
from qualcode.store import open_project
from qualcode.store.check import check_project
from qualcode.store.models import Coding, Document

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

MERGE = """
import sys
from qualcode.coding.merge import merge_projects
from qualcode.store import open_project
project = open_project(sys.argv[1])
print("started", flush=True)
merge_projects(project, sys.argv[2], actor="crash")
print("done", flush=True)
"""


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


def test_killed_merge_leaves_all_or_nothing(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    _coded_project(mine, tmp_path)
    _coded_project(theirs, tmp_path)
    other = open_project(theirs)
    with other.write() as s:
        for i in range(3000):
            add_coding(
                s,
                document=1,
                code=1,
                coder=f"c{i % 3}",
                start=i % 1500,
                end=i % 1500 + 10 + i // 1500,
            )
    other.dispose()
    lines = kill_when(spawn(MERGE, str(mine), str(theirs)), "started", 0.3)
    sound(mine)
    n = count(mine, Coding)
    assert n in (0, 3000)
    if "done" not in lines:
        assert n == 0
