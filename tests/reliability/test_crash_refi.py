"""SIGKILL in the middle of a REFI-QDA import (``qualcode import-qdpx``): the project opens,
passes ``PRAGMA integrity_check`` and ``qualcode check``, and holds all or none of the file.

The .qdpx is generated here (many long sources, thousands of selections by three users), so
that the import runs for seconds. The child runs the real command line; a hook inside the
import's one transaction (when the documents have been added and the codings are next) prints
``started``, and the test kills the child then, or a little later: always before the import
could have committed, which the child would report with ``done``.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from qualcode.cli import main
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import open_project

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_helpers import kill_when, spawn

pytestmark = pytest.mark.slow

IMPORT_QDPX = """
import sys
from qualcode import cli
from qualcode.interop.refi import qdpx_import

add_codings = qdpx_import._add_codings

def hooked(state, prepared):
    print("started", flush=True)  # inside the transaction: the documents are in, not committed
    add_codings(state, prepared)

qdpx_import._add_codings = hooked
try:
    cli.main(["--project", sys.argv[1], "import-qdpx", sys.argv[2]])
except SystemExit as exc:
    print("exit", exc.code, flush=True)
print("done", flush=True)
"""

PHRASES = (
    "the lab backlog is eleven months on phones and we lose cases to the speedy trial clock "
    "every detective has a queue of tips warrants come back from providers with terabytes of "
    "data discovery takes weeks because defence experts need supervised access plea offers move"
)
WORDS = PHRASES.split()
TABLES = (
    "documents",
    "segments",
    "codes",
    "coders",
    "codings",
    "memos",
    "groups",
    "group_members",
    "participants",
    "audit_log",
)


def transcript(rng: random.Random, words: int) -> str:
    turns: list[str] = []
    written = 0
    while written < words:
        n = rng.randint(20, 120)
        body = " ".join(rng.choice(WORDS) for _ in range(n))
        speaker = "Interviewer" if len(turns) % 2 == 0 else "P07"
        turns.append(f"{speaker}: {body[0].upper()}{body[1:]}.")
        written += n
    return "\n\n".join(turns) + "\n"


def build_qdpx(path: Path, *, sources: int, words: int, selections: int) -> dict[str, int]:
    """A deterministic REFI-QDA project; returns how many of each thing it holds."""
    rng = random.Random(20240601)
    users = [f"00000000-0000-4000-8000-0000000000{n:02d}" for n in range(3)]
    codes = [f"10000000-0000-4000-8000-{n:012d}" for n in range(40)]
    xml = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<Project xmlns="urn:QDA-XML:project:1.0" name="crash" origin="crash test 1.0">',
        "<Users>",
        *(f'<User guid="{u}" name="coder {n}"/>' for n, u in enumerate(users)),
        "</Users><CodeBook><Codes>",
    ]
    for family in range(0, len(codes), 8):
        xml.append(f'<Code guid="{codes[family]}" name="Family {family}" isCodable="true">')
        xml += [
            f'<Code guid="{c}" name="Code {n}" isCodable="true"/>'
            for n, c in enumerate(codes[family + 1 : family + 8], family + 1)
        ]
        xml.append("</Code>")
    xml.append("</Codes></CodeBook><Sources>")
    texts: list[tuple[str, str]] = []
    codings = 0
    for s in range(sources):
        guid = f"20000000-0000-4000-8000-{s:012d}"
        text = transcript(rng, words)
        texts.append((f"sources/{guid}.txt", text))
        xml.append(
            f'<TextSource guid="{guid}" name="Interview {s:03d}.txt" '
            f'plainTextPath="internal://{guid}.txt">'
        )
        spans: set[tuple[int, int]] = set()
        starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == " ")]
        while len(spans) < selections:
            a = rng.randrange(len(starts) - 40)
            spans.add((starts[a], starts[a + rng.randint(1, 30)] - 1))
        for n, (a, b) in enumerate(sorted(spans)):
            sel = f"30000000-0000-4000-8000-{s:06d}{n:06d}"
            user = rng.choice(users)
            xml.append(
                f'<PlainTextSelection guid="{sel}" name={quoteattr(text[a : a + 20])} '
                f'startPosition="{a}" endPosition="{b}" creatingUser="{user}">'
                f'<Coding guid="{sel[:-6]}9{n:05d}" creatingUser="{user}">'
                f'<CodeRef targetGUID="{rng.choice(codes)}"/></Coding></PlainTextSelection>'
            )
            codings += 1
        xml.append("</TextSource>")
    xml.append("</Sources></Project>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", "\n".join(xml))
        for name, text in texts:
            zf.writestr(name, text)
    return {"documents": sources, "codes": len(codes), "codings": codings, "coders": len(users)}


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    found = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    con.close()
    return found


def sound(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``PRAGMA integrity_check`` is ok and ``qualcode check`` passes (exit 0)."""
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(["--project", str(path), "check"])
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), out + err


@pytest.fixture(scope="module")
def big_qdpx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("qdpx") / "big.qdpx"
    return path, build_qdpx(path, sources=30, words=6000, selections=150)


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_killed_refi_import_leaves_all_or_nothing(
    tmp_path: Path,
    big_qdpx: tuple[Path, dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    delay: float,
) -> None:
    qdpx, expected = big_qdpx
    path = tmp_path / "p.db"
    project = open_project(path, create=True)
    small = tmp_path / "small.qdpx"
    build_qdpx(small, sources=2, words=300, selections=5)
    import_qdpx(project, small, actor="t")  # the project holds earlier work
    project.dispose()
    before = counts(path)
    assert before["documents"] == 2 and before["codings"] == 10

    lines = kill_when(spawn(IMPORT_QDPX, str(path), str(qdpx)), "started", delay)
    assert "started" in lines, lines
    assert "done" not in lines, "the import finished before it could be killed"

    sound(path, capsys)
    assert counts(path) == before  # the interrupted import left nothing, not even segments

    # The project still works: the same file imports completely, with all of its content.
    project = open_project(path)
    report = import_qdpx(project, qdpx, actor="t")
    project.dispose()
    after = counts(path)
    assert len(report.documents_added) == after["documents"] - 2 == expected["documents"]
    assert report.codings_added == after["codings"] - 10 == expected["codings"]
    assert report.codes_reused == after["codes"] == expected["codes"]  # the small file had them
    sound(path, capsys)
