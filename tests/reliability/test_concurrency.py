"""Eight processes code the same documents at once, for a bounded time, on SQLite (WAL) and
on PostgreSQL, while another renames codes. Every coding each process reported as committed
is there afterwards, with no duplicates; the renames are serialised, not lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.ingest import import_files
from qualcode.store import open_project
from qualcode.store.check import check_project
from qualcode.store.models import Code, Coding

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_helpers import spawn

pytestmark = pytest.mark.slow
WORKERS = 8
SECONDS = 3.0

CODER = """
import random, sys, time
from qualcode.coding.history import History
from qualcode.store import open_project
project = open_project(sys.argv[1])
me = sys.argv[2]
rng = random.Random(me)
history = History(project, me)
end = time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    doc = rng.randint(1, 3)
    start = rng.randrange(0, 1900)
    code = rng.randint(1, 4)
    (cid,) = history.add(doc, code, start, start + rng.randint(1, 100))
    print(doc, code, start, cid, flush=True)
"""

RENAMER = """
import sys, time
from sqlalchemy import select
from qualcode.store import open_project
from qualcode.store.models import Code
project = open_project(sys.argv[1])
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    with project.write() as s:
        code = s.scalar(select(Code).where(Code.id == 1))
        code.name = f"Caseload {n}"
    n += 1
print("renames", n, flush=True)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("pg_url"))


def test_eight_coders_at_once_lose_nothing(location: str, tmp_path: Path) -> None:
    project = open_project(location, create=True)
    with project.write() as s:
        apply_codebook(
            s,
            parse_codebook("codes:\n- name: Caseload\n- name: B\n- name: C\n- name: D\n"),
            actor="t",
        )
    files = []
    for n in range(1, 4):
        f = tmp_path / f"d{n}.txt"
        f.write_text(f"Document {n}. " + "word " * 400, encoding="utf-8")
        files.append(f)
    import_files(project, files, actor="t")
    procs = [spawn(CODER, location, f"coder{i}", str(SECONDS)) for i in range(WORKERS)]
    renamer = spawn(RENAMER, location, str(SECONDS))
    committed = set()
    for i, proc in enumerate(procs):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        for line in out.splitlines():
            doc, code, start, cid = map(int, line.split())
            committed.add((f"coder{i}", doc, code, start, cid))
    out, err = renamer.communicate(timeout=120)
    assert renamer.returncode == 0, err[-2000:]
    renames = int(out.split()[-1])
    assert renames > 0
    assert len(committed) > WORKERS * 5
    with project.session() as s:
        from qualcode.store.models import Coder

        rows = s.execute(
            select(Coder.name, Coding.document_id, Coding.code_id, Coding.start, Coding.id).join(
                Coder, Coding.coder_id == Coder.id
            )
        ).all()
        name = s.scalar(select(Code.name).where(Code.id == 1))
        total = s.scalar(select(func.count()).select_from(Coding))
    stored = {tuple(r) for r in rows}
    assert committed <= stored  # nothing committed was lost
    assert total == len(stored)  # no duplicates
    assert name == f"Caseload {renames - 1}"  # the last rename won; none was half-applied
    assert check_project(project) == []
    project.dispose()
