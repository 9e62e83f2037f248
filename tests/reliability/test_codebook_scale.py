"""A codebook import takes time linear in its codes, and a codebook past the bound is refused in
one line. 20,000 codes with 15,000 siblings of one name: renaming them apart tried every number
from 2 for each (quadratic), every code was found among its siblings by a scan, and each new code
was flushed alone (a .qdc of 100,000 codes ran past 300 s). The statements are counted, so a
statement per code fails at once, and a quadratic step would run for minutes."""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from pathlib import Path

import pytest

from qualcode.coding.codes import MAX_IMPORTED_CODES

from ..run_cli import cli
from .query_counter import counting_queries

SAME = 15_000
PARENTS, CHILDREN = 50, 99
TOTAL = SAME + PARENTS * (1 + CHILDREN)
#: a few dozen statements whatever the size: nowhere near one per code
MAX_QUERIES = 300


def _qdc(path: Path, same: int, parents: int, children: int) -> None:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    out.append('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test"><Codes>')
    out += [f'<Code guid="{uuid.UUID(int=i + 1)}" name="Same"/>' for i in range(same)]
    for p in range(parents):
        out.append(f'<Code guid="{uuid.UUID(int=10**6 + p)}" name="Parent {p}">')
        out += [
            f'<Code guid="{uuid.UUID(int=10**7 + p * 1000 + c)}" name="Child"/>'
            for c in range(children)
        ]
        out.append("</Code>")
    out.append("</Codes><Sets/></CodeBook>")
    path.write_text("\n".join(out), encoding="utf-8")


def test_a_big_codebook_with_same_named_siblings_imports_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(project))[0] == 0
    book = tmp_path / "big.qdc"
    _qdc(book, SAME, PARENTS, CHILDREN)
    with counting_queries(MAX_QUERIES) as queries:
        code, out, err = cli(capsys, "--project", str(project), "codebook", "import", str(book))
    assert code == 0, out + err
    assert f"{TOTAL} added" in out
    assert len(queries) <= MAX_QUERIES

    with sqlite3.connect(project) as conn:
        rows = conn.execute("select id, parent_id, name, position from codes").fetchall()
        audited = conn.execute(
            "select count(*) from audit_log where action = 'add' and entity = 'code'"
        ).fetchone()[0]
    assert len(rows) == TOTAL and audited == TOTAL
    top = sorted((pos, name) for _i, parent, name, pos in rows if parent is None)
    same = [name for _pos, name in top[:SAME]]
    assert same == ["Same", *(f"Same ({n})" for n in range(2, SAME + 1))]
    assert [pos for pos, _name in top] == list(range(SAME + PARENTS))
    kids = Counter(parent for _i, parent, _n, _p in rows if parent is not None)
    assert sorted(kids.values()) == [CHILDREN] * PARENTS
    first_parent = next(i for i, parent, name, _p in rows if name == "Parent 0")
    children = sorted((pos, name) for _i, parent, name, pos in rows if parent == first_parent)
    assert children == [(0, "Child"), *((n - 1, f"Child ({n})") for n in range(2, CHILDREN + 1))]

    # a second import matches every code by path and adds nothing
    code, out, err = cli(capsys, "--project", str(project), "codebook", "import", str(book))
    assert code == 0 and f"0 added, 0 updated, {TOTAL} unchanged" in out, out + err


def test_a_codebook_past_the_bound_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "study.db"
    assert cli(capsys, "init", "--project", str(project))[0] == 0
    book = tmp_path / "huge.qdc"
    _qdc(book, MAX_IMPORTED_CODES + 1, 0, 0)
    code, out, err = cli(capsys, "--project", str(project), "codebook", "import", str(book))
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1
    assert f"{MAX_IMPORTED_CODES + 1:,} codes" in err and f"{MAX_IMPORTED_CODES:,}" in err
    with sqlite3.connect(project) as conn:
        assert conn.execute("select count(*) from codes").fetchone()[0] == 0
