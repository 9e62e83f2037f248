"""``qualcode import-codings CODINGS.csv`` through qualcode.cli.main: offsets, quoted text (the
n-th occurrence), and a bad row that leaves the project untouched.

Every test reads the store afterwards: document, code path, coder and offsets of each coding.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.coding.codes import code_paths
from qualcode.coding.codings import coding_memos
from qualcode.store.models import AuditEntry, Code, Coder, Coding, Document

from ..run_cli import cli
from .conftest import TEXT_1, TEXT_2, Small

PLEA = "Triage/Plea bargaining"
LAB = "Lab backlog"
Stored = tuple[str, str, str, int, int, str | None]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stored(small: Small) -> set[Stored]:
    """Every coding as (document, code path, coder, start, end, memo)."""
    with small.project.session() as s:
        paths = code_paths(s)
        memos = coding_memos(s)
        rows = s.execute(
            select(Document.name, Coding.code_id, Coder.name, Coding.start, Coding.end, Coding.id)
            .join(Document, Coding.document_id == Document.id)
            .join(Coder, Coding.coder_id == Coder.id)
        ).all()
    return {
        (doc, paths[code_id], coder, st, en, memos.get(cid))
        for doc, code_id, coder, st, en, cid in rows
    }


def counts(small: Small) -> list[int]:
    """How many codings, coders and codes the project holds."""
    with small.project.session() as s:
        return [
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Coding, Coder, Code)
        ]


def span(text: str, passage: str, start_at: int = 0) -> tuple[int, int]:
    start = text.index(passage, start_at)
    return start, start + len(passage)


def test_offsets_on_both_backends(
    small_any: Small, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plea = span(TEXT_1, "Plea deals are common.")
    lab = span(TEXT_2, "The lab is fast here.")
    path = write_csv(
        tmp_path / "codings.csv",
        ["document", "coder", "code", "start", "end", "memo"],
        [
            ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1]), "typical"],
            # the document by its name without extension, a coder new to the project
            ["P02", "cara", LAB, str(lab[0]), str(lab[1]), ""],
            ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1]), ""],  # the same again
        ],
    )
    url = small_any.project.url
    code, out, err = cli(capsys, "import-codings", str(path), "--project", url, "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "added": 2,
        "already_there": 1,
        "memos_added": 1,
        "coders": ["ana", "cara"],
    }
    expected = {
        ("P01.txt", PLEA, "ana", *plea, "typical"),
        ("P02.txt", LAB, "cara", *lab, None),
    }
    assert stored(small_any) == expected
    assert TEXT_1[plea[0] : plea[1]] == "Plea deals are common."
    # Importing the same file again adds nothing.
    code, out, _ = cli(capsys, "import-codings", str(path), "--project", url, "--json")
    assert code == 0
    assert json.loads(out) == {
        "added": 0,
        "already_there": 3,
        "memos_added": 0,
        "coders": ["ana", "cara"],
    }
    assert stored(small_any) == expected


def test_quoted_text_and_its_occurrence(
    small: Small, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "plea bargain" occurs twice in P01: "And plea bargains?" and "A plea bargain saves time."
    # ("Plea deals" has a capital P and does not match).
    assert TEXT_1.count("plea bargain") == 2
    first = span(TEXT_1, "plea bargain")
    second = span(TEXT_1, "plea bargain", first[1])
    assert TEXT_1[second[0] - 2 : second[1]] == "A plea bargain"
    # a quote's spaces match any white space, here the blank line between two turns
    across = span(TEXT_1, "carry?\n\nP01: About half.")
    path = write_csv(
        tmp_path / "quotes.csv",
        ["document", "coder", "code", "text", "occurrence"],
        [
            ["P01.txt", "ben", PLEA, "plea bargain", ""],  # no occurrence: the first
            ["P01.txt", "ana", PLEA, "plea bargain", "2"],
            ["P01.txt", "ana", PLEA, "plea bargain", "1"],
            ["P01.txt", "ana", LAB, "carry? P01: About half.", ""],
        ],
    )
    code, out, err = cli(capsys, "import-codings", str(path), "--project", str(small.project.path))
    assert code == 0, err
    assert "4 coding(s) added, 0 already there, 0 memo(s) added (coders: ana, ben)" in out
    assert stored(small) == {
        ("P01.txt", PLEA, "ben", *first, None),
        ("P01.txt", PLEA, "ana", *second, None),
        ("P01.txt", PLEA, "ana", *first, None),
        ("P01.txt", LAB, "ana", *across, None),
    }
    assert first != second


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (["P01.txt", "cara", PLEA, "", "", "plea bargain", "3"], "not found (occurrence 3)"),
        (["P01.txt", "cara", PLEA, "ten", "20", "", ""], "must be whole numbers"),
        (["P01.txt", "cara", PLEA, "5", "99999", "", ""], "is not inside P01.txt"),
        (["P01.txt", "cara", "Nope", "5", "10", "", ""], "no code 'Nope'"),
        (["P09.txt", "cara", PLEA, "5", "10", "", ""], "no document 'P09.txt'"),
        (["P01.txt", "cara", PLEA, "", "", "", ""], "neither offsets nor text"),
    ],
)
def test_a_bad_row_exits_2_and_writes_nothing(
    small: Small,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bad: list[str],
    message: str,
) -> None:
    before = counts(small)
    good = span(TEXT_1, "The lab is slow.")
    path = write_csv(
        tmp_path / "bad.csv",
        ["document", "coder", "code", "start", "end", "text", "occurrence"],
        [
            # good rows first, one of them by a coder the project does not have yet
            ["P01.txt", "cara", LAB, str(good[0]), str(good[1]), "", ""],
            ["P01.txt", "ana", PLEA, "", "", "plea bargain", "2"],
            bad,
        ],
    )
    code, out, err = cli(capsys, "import-codings", str(path), "--project", str(small.project.path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error:") and "line 4" in err and message in err
    assert "Traceback" not in err
    assert counts(small) == before  # no coding, and the new coder was not kept either
    assert stored(small) == set()


def test_a_memo_on_a_coding_already_there_is_attached_once(
    small: Small, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plea = span(TEXT_1, "Plea deals are common.")
    header = ["document", "coder", "code", "start", "end", "memo"]
    row = ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1])]
    url = str(small.project.path)
    bare = write_csv(tmp_path / "bare.csv", header, [[*row, ""]])
    assert cli(capsys, "import-codings", str(bare), "--project", url)[0] == 0
    with_memo = write_csv(tmp_path / "memo.csv", header, [[*row, "typical"]])
    code, out, err = cli(capsys, "import-codings", str(with_memo), "--project", url, "--json")
    assert code == 0, err
    assert json.loads(out)["memos_added"] == 1
    assert stored(small) == {("P01.txt", PLEA, "ana", *plea, "typical")}
    # the same file again adds no second copy; a new text is kept next to the first
    code, out, _ = cli(capsys, "import-codings", str(with_memo), "--project", url, "--json")
    assert json.loads(out)["memos_added"] == 0
    other = write_csv(tmp_path / "other.csv", header, [[*row, "seen twice"]])
    code, out, _ = cli(capsys, "import-codings", str(other), "--project", url)
    assert code == 0 and "1 memo(s) added" in out
    assert stored(small) == {("P01.txt", PLEA, "ana", *plea, "typical\n\nseen twice")}


def test_repeated_rows_and_their_memos_in_one_file(
    small: Small, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One coding named on several rows is added once; its distinct memos are each kept once,
    a coding already there gets the memos it lacks, and each new coding is audited once."""
    plea = span(TEXT_1, "Plea deals are common.")
    lab = span(TEXT_2, "The lab is fast here.")
    url = str(small.project.path)
    header = ["document", "coder", "code", "start", "end", "memo"]
    first = write_csv(tmp_path / "first.csv", header, [["P02.txt", "ben", LAB, *map(str, lab), ""]])
    assert cli(capsys, "import-codings", str(first), "--project", url)[0] == 0
    path = write_csv(
        tmp_path / "repeats.csv",
        header,
        [
            ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1]), "typical"],
            ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1]), " typical "],  # the same text
            ["P01.txt", "ana", PLEA, str(plea[0]), str(plea[1]), "seen twice"],
            ["P01.txt", "cara", PLEA, str(plea[0]), str(plea[1]), ""],  # another coder's
            ["P02.txt", "ben", LAB, str(lab[0]), str(lab[1]), "fast"],  # there already
            ["P02.txt", "ben", LAB, str(lab[0]), str(lab[1]), "fast"],
        ],
    )
    code, out, err = cli(capsys, "import-codings", str(path), "--project", url, "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "added": 2,
        "already_there": 4,
        "memos_added": 3,
        "coders": ["ana", "ben", "cara"],
    }
    assert stored(small) == {
        ("P01.txt", PLEA, "ana", *plea, "typical\n\nseen twice"),
        ("P01.txt", PLEA, "cara", *plea, None),
        ("P02.txt", LAB, "ben", *lab, "fast"),
    }
    with small.project.session() as s:
        added = s.execute(
            select(AuditEntry.actor, AuditEntry.detail).where(
                AuditEntry.entity == "coding", AuditEntry.action == "add"
            )
        ).all()
    details = sorted((actor, d["coder"], d["memo"], d["via"]) for actor, d in added)
    assert details == [
        ("ana", "ana", "typical\n\nseen twice", "CSV import"),
        ("ben", "ben", None, "CSV import"),
        ("cara", "cara", None, "CSV import"),
    ]
