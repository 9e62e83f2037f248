"""Eight processes code the same documents at once, on SQLite (WAL) and on PostgreSQL, while
another renames a code and another merges codes (``merge_codes``) that the coders are coding with.
Every coding each process reported as committed is there afterwards (under the merge target if its
code was merged), with no duplicates; the renames and merges are serialised, not lost, and a coding
of a code merged away meanwhile is refused, not lost.

The race is driven by events, not by a clock: the merger merges a code only once the coders have
committed codings of it, and the coders and the renamer go on until every merge is done and each
has made its share, so a busy machine makes the test slower, never weaker."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.codebook.edit import delete_code, merge_codes
from qualcode.coding import ensure_coding
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest import import_files
from qualcode.store import Project, open_project
from qualcode.store.check import check_project
from qualcode.store.models import Code, Coder, Coding

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_helpers import spawn

pytestmark = pytest.mark.slow
WORKERS = 8
EACH = 6  # codings each coder commits at least, after the last merge has gone through
SOURCES = ("M1", "M2", "M3", "M4", "M5", "M6")  # merged into D, one by one, while coded
SLOW = 0.15  # seconds a merge waits inside its transaction, after moving the codings
CAP = 20_000  # a bound on any one loop, so a broken run ends instead of hanging

CODER = """
import os, random, sys
from sqlalchemy.exc import IntegrityError
from qualcode.coding.history import History
from qualcode.errors import QualcodeError
from qualcode.store import open_project
project = open_project(sys.argv[1])
me = sys.argv[2]
done = sys.argv[3]
codes = [int(c) for c in sys.argv[4].split(",")]
rng = random.Random(me)
history = History(project, me)
made = after = 0
for _ in range(int(sys.argv[6])):
    if os.path.exists(done):
        if after >= int(sys.argv[5]):
            break
    doc = rng.randint(1, 3)
    start = rng.randrange(0, 1900)
    stop = start + rng.randint(1, 100)
    code = rng.choice(codes)
    finished = os.path.exists(done)
    try:
        (cid,) = history.add(doc, code, start, stop)
    except (IntegrityError, QualcodeError):  # the code was merged into another and is gone
        print("refused", code, flush=True)
        codes.remove(code)
        continue
    made += 1
    after += finished
    print(doc, code, start, stop, cid, flush=True)
"""

RENAMER = """
import os, sys
from sqlalchemy import select
from qualcode.store import open_project
from qualcode.store.models import Code
project = open_project(sys.argv[1])
n = 0
while n < int(sys.argv[3]) and not (os.path.exists(sys.argv[2]) and n > 0):
    with project.write() as s:
        code = s.scalar(select(Code).where(Code.id == 1))
        code.name = f"Caseload {n}"
    n += 1
print("renames", n, flush=True)
"""

MERGER = """
import sys, time
from pathlib import Path
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
import qualcode.codebook.edit as edit
from qualcode.store import open_project
from qualcode.store.models import Coding
project = open_project(sys.argv[1])
audit = edit.audit
def slow_audit(*args, **kw):
    # A slow merge: wait between moving the source's codings and deleting the source, while
    # the coders go on coding with it. Without row locks their codings would be lost.
    time.sleep(float(sys.argv[4]))
    return audit(*args, **kw)
edit.audit = slow_audit
target = int(sys.argv[2])
for source in (int(c) for c in sys.argv[3].split(",")):
    # merge a code only once the coders have committed codings of it: the race is then run
    for _ in range(int(sys.argv[6])):
        with project.session() as s:
            if s.scalar(select(func.count()).where(Coding.code_id == source)):
                break
        time.sleep(0.01)
    else:
        sys.exit(f"no coding of code {source} was ever committed")
    for attempt in range(5):
        try:
            with project.write() as s:
                report = edit.merge_codes(s, source, target, actor="merger")
            break
        except OperationalError as exc:  # a deadlock PostgreSQL broke: try again
            print("retry", source, str(exc).splitlines()[0], file=sys.stderr, flush=True)
    print("merged", source, target, report.moved, report.dropped, flush=True)
Path(sys.argv[5]).touch()
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("pg_url"))


def test_eight_coders_at_once_lose_nothing(location: str, tmp_path: Path) -> None:
    project = open_project(location, create=True)
    names = ("Caseload", "B", "C", "D", *SOURCES)
    with project.write() as s:
        yaml = "codes:\n" + "".join(f"- name: {n}\n" for n in names)
        apply_codebook(s, parse_codebook(yaml), actor="t")
    with project.session() as s:
        ids = {n: i for n, i in s.execute(select(Code.name, Code.id))}
    assert ids["Caseload"] == 1  # the renamer's code
    sources = [ids[n] for n in SOURCES]
    target = ids["D"]
    files = []
    for n in range(1, 4):
        f = tmp_path / f"d{n}.txt"
        f.write_text(f"Document {n}. " + "word " * 400, encoding="utf-8")
        files.append(f)
    import_files(project, files, actor="t")
    every_code = ",".join(str(ids[n]) for n in names)
    done = str(tmp_path / "merges-done")
    procs = [
        spawn(CODER, location, f"coder{i}", done, every_code, str(EACH), str(CAP))
        for i in range(WORKERS)
    ]
    renamer = spawn(RENAMER, location, done, str(CAP))
    merger = spawn(
        MERGER, location, str(target), ",".join(map(str, sources)), str(SLOW), done, str(CAP)
    )
    committed = set()
    refused = []
    out, err = merger.communicate(timeout=600)
    assert merger.returncode == 0, err[-2000:]
    merges = [line.split() for line in out.splitlines()]
    for i, proc in enumerate(procs):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        for line in out.splitlines():
            if line.startswith("refused"):
                refused.append(int(line.split()[1]))
                continue
            doc, code, start, end, cid = map(int, line.split())
            committed.add((f"coder{i}", doc, code, start, end, cid))
    out, err = renamer.communicate(timeout=600)
    assert renamer.returncode == 0, err[-2000:]
    renames = int(out.split()[-1])
    assert [int(m[1]) for m in merges] == sources  # every merge went through
    dropped = sum(int(m[4]) for m in merges)
    assert renames > 0
    assert len(committed) >= WORKERS * EACH
    # the race was run: codings of every source were committed before its merge, and moved
    assert {c[2] for c in committed} >= set(sources)
    assert all(int(m[3]) + int(m[4]) > 0 for m in merges)
    with project.session() as s:
        rows = s.execute(
            select(
                Coder.name, Coding.document_id, Coding.code_id, Coding.start, Coding.end, Coding.id
            ).join(Coder, Coding.coder_id == Coder.id)
        ).all()
        name = s.scalar(select(Code.name).where(Code.id == 1))
        total = s.scalar(select(func.count()).select_from(Coding))
        left = list(s.scalars(select(Code.id).where(Code.id.in_(sources))))
    stored = {(coder, doc, code, start, end): cid for coder, doc, code, start, end, cid in rows}
    assert total == len(stored)  # no duplicates: one coding per coder, document, code and span
    assert left == []  # the merged codes are gone
    # Nothing committed was lost: every coding is there, on the merge target if its code was
    # merged; it keeps its id unless the target already had the same coding (a duplicate the
    # merge folded into the target's).
    moved = {source: target for source in sources}
    missing = [
        c for c in committed if (c[0], c[1], moved.get(c[2], c[2]), c[3], c[4]) not in stored
    ]
    assert missing == []
    ids_gone = [c for c in committed if c[5] not in set(stored.values())]
    assert len(ids_gone) <= dropped
    # a coding was refused only because its code had been merged away
    assert set(refused) <= set(sources)
    assert name == f"Caseload {renames - 1}"  # the last rename won; none was half-applied
    assert check_project(project) == []
    project.dispose()


# -- the same races, step by step, with two sessions in one process ----------------------------
BLOCKED = 0.5  # how long a blocked edit is watched before the other side commits


class Background(threading.Thread):
    """Runs ``work`` in a thread and keeps what it returned or raised."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # handed to the test
            self.error = exc

    def finish(self) -> None:
        self.join(timeout=30)
        assert not self.is_alive(), "the edit never finished"


@pytest.fixture
def two_codes(backend_url: str, tmp_path: Path) -> Iterator[Project]:
    """Codes Source (id 1) and Target (id 2), a coder ann, one document."""
    project = open_project(backend_url, create=True)
    with project.write() as s:
        apply_codebook(s, parse_codebook("codes:\n- name: Source\n- name: Target\n"), actor="t")
        s.add(Coder(name="ann"))
    (tmp_path / "d.txt").write_text("word " * 100, encoding="utf-8")
    import_files(project, [tmp_path / "d.txt"], actor="t")
    with project.session() as s:
        assert {n: i for n, i in s.execute(select(Code.name, Code.id))} == {
            "Source": 1,
            "Target": 2,
        }
    yield project
    project.dispose()


def codings(project: Project) -> list[tuple[int, int, int]]:
    with project.session() as s:
        rows = s.execute(select(Coding.code_id, Coding.start, Coding.end).order_by(Coding.start))
        return [(code, start, end) for code, start, end in rows]


def test_merge_waits_for_a_coding_in_flight_and_takes_it_along(two_codes: Project) -> None:
    with two_codes.write() as s:  # a coder's transaction: the coding is made, not committed yet
        ensure_coding(s, document=1, code=1, coder="ann", start=0, end=4)
        merge = Background(lambda: _merge(two_codes))
        merge.start()
        time.sleep(BLOCKED)
        assert merge.is_alive(), "the merge did not wait for the coding in flight"
    merge.finish()
    assert merge.error is None, merge.error
    assert codings(two_codes) == [(2, 0, 4)]  # committed, then moved to the target


def test_a_coding_waits_for_a_merge_and_is_refused(two_codes: Project) -> None:
    with two_codes.write() as s:  # the merge, not committed yet
        merge_codes(s, 1, 2, actor="t")
        coder = Background(lambda: _code(two_codes, 1, 10, 14))
        coder.start()
        time.sleep(BLOCKED)
        assert coder.is_alive(), "the coding did not wait for the merge"
    coder.finish()
    # PostgreSQL: the foreign key fails once the source is gone; SQLite: the coder's
    # transaction starts after the merge and finds no code 1.
    assert isinstance(coder.error, IntegrityError | NotFound), coder.error
    assert codings(two_codes) == []
    with two_codes.session() as s:
        assert list(s.scalars(select(Code.name))) == ["Target"]


def test_delete_waits_for_a_coding_in_flight_and_refuses(two_codes: Project) -> None:
    with two_codes.write() as s:
        ensure_coding(s, document=1, code=1, coder="ann", start=0, end=4)
        delete = Background(lambda: _delete(two_codes))
        delete.start()
        time.sleep(BLOCKED)
        assert delete.is_alive(), "the delete did not wait for the coding in flight"
    delete.finish()
    assert isinstance(delete.error, QualcodeError), delete.error
    assert "has 1 coding(s)" in str(delete.error)
    assert codings(two_codes) == [(1, 0, 4)]  # the coding and its code are still there


def _merge(project: Project) -> None:
    with project.write() as s:
        merge_codes(s, 1, 2, actor="t")


def _code(project: Project, code: int, start: int, end: int) -> None:
    with project.write() as s:
        ensure_coding(s, document=1, code=code, coder="ann", start=start, end=end)


def _delete(project: Project) -> None:
    with project.write() as s:
        delete_code(s, 1, actor="t")
