"""Settling disagreements into "consensus": passages, reviews, decisions, undo, and the CLI."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from qualcode.agreement.adjudicate import (
    CONSENSUS,
    context_bounds,
    find_passages,
    load_review,
    load_reviews,
)
from qualcode.agreement.consensus import accept_agreements, reopen, settle, undo
from qualcode.agreement.disagreements import find_disagreements
from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.store import Coder, Coding, Memo, Project

# Six ten-character sentences: sentence i is [10 i, 10 i + 10).
TEXT = "".join(f"Sentence{i}." for i in range(6))
SEGMENTS = {"sentence": [(i * 10, i * 10 + 10) for i in range(6)]}
P = "Triage/Plea bargaining"
CODINGS = [
    ("D1", P, "alice", 0, 10),  # agreed
    ("D1", P, "bob", 0, 10),
    ("D1", P, "alice", 20, 30),  # alice only
    ("D1", P, "bob", 40, 50),  # bob only
    ("D1", P, "alice", 50, 60),  # different spans, the same sentence
    ("D1", P, "bob", 52, 60),
    ("D2", P, "alice", 0, 10),  # D2: bob coded nothing there, so it is not compared
    ("D3", "Caseload", "alice", 0, 10),
    ("D3", "Caseload", "bob", 30, 40),
]


@pytest.fixture
def project(make_project: Any) -> Project:
    built: Project = make_project({n: (TEXT, SEGMENTS) for n in ("D1", "D2", "D3")}, CODINGS)
    return built


def consensus(project: Project) -> list[tuple[str, int, int]]:
    """(document, start, end) of every consensus coding, in order."""
    with project.session() as s:
        rows = s.execute(
            select(Coding.document_id, Coding.start, Coding.end)
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.name == CONSENSUS)
            .order_by(Coding.document_id, Coding.start)
        ).all()
    return [(f"D{d}", st, en) for d, st, en in rows]


def memos(project: Project) -> list[Memo]:
    with project.session() as s:
        found = list(s.scalars(select(Memo).order_by(Memo.id)))
        s.expunge_all()
    return found


def review(project: Project, unit: str = "character", a: str = "alice", b: str = "bob") -> Any:
    return load_review(project, P, a, b, unit=unit)


# -- passages ----------------------------------------------------------------------------------
def test_passages_by_exact_spans() -> None:
    a = [(0, 10), (20, 30), (50, 60)]
    b = [(0, 10), (40, 50), (52, 60)]
    assert find_passages(a, b) == [
        ("agreement", 0, 10, ((0, 10),), ((0, 10),)),
        ("a_not_b", 20, 30, ((20, 30),), ()),
        ("b_not_a", 40, 50, (), ((40, 50),)),
        ("different_spans", 50, 60, ((50, 60),), ((52, 60),)),
    ]


def test_passages_by_sentence_compare_the_sentences_covered() -> None:
    units = np.array(SEGMENTS["sentence"], dtype=np.int64)
    # the same sentence by different spans, even not overlapping: one agreed passage
    assert find_passages([(50, 55)], [(56, 60)], units=units) == [
        ("agreement", 50, 60, ((50, 55),), ((56, 60),))
    ]
    # alice covers sentences 1 and 2, bob only 2
    assert find_passages([(15, 25)], [(22, 28)], units=units) == [
        ("different_spans", 15, 28, ((15, 25),), ((22, 28),))
    ]
    # touching sentences are different units
    assert [k for k, *_ in find_passages([(0, 10)], [(10, 20)], units=units)] == [
        "a_not_b",
        "b_not_a",
    ]


def test_without_units_the_disagreements_are_those_of_qualcode_disagreements() -> None:
    rng = random.Random(7)
    for _ in range(300):
        spans = [
            [(s, s + rng.randint(1, 12)) for s in rng.sample(range(60), rng.randint(0, 5))]
            for _ in range(2)
        ]
        threshold = rng.choice([1.0, 0.8, 0.5])
        mine = [p for p in find_passages(*spans, threshold=threshold) if p[0] != "agreement"]
        assert mine == find_disagreements(*spans, threshold=threshold)


def test_context_cuts_at_line_breaks_then_spaces() -> None:
    text = "first line here\n\nsecond line with the passage in it\nthird line, longer than 30"
    start = text.index("passage")
    low, high = context_bounds(text, start, start + 7, chars=30)
    assert text[low:high] == "second line with the passage in it"
    low, high = context_bounds("aaa bbb ccc ddd eee", 8, 11, chars=5)
    assert (low, high) == (4, 15)  # "bbb ccc ddd": whole words


# -- reviews -----------------------------------------------------------------------------------
def test_review_lists_disagreements_of_documents_both_coded(project: Project) -> None:
    r = review(project)
    assert [(i.number, i.passage.document, i.passage.kind) for i in r.items] == [
        (1, "D1", "a_not_b"),
        (2, "D1", "b_not_a"),
        (3, "D1", "different_spans"),
    ]
    assert [i.text for i in r.items] == [TEXT[20:30], TEXT[40:50], TEXT[50:60]]
    assert all(i.context_start <= i.passage.start for i in r.items)
    assert [(p.document, p.start, p.end) for p in r.agreements] == [("D1", 0, 10)]
    assert (r.settled, r.open, r.agreements_in_consensus) == (0, 3, 0)
    by_sentence = review(project, "sentence")
    assert [i.passage.start for i in by_sentence.items] == [20, 40]
    assert [(p.start, p.end) for p in by_sentence.agreements] == [(0, 10), (50, 60)]


def test_reviews_of_every_code_and_json(project: Project) -> None:
    reviews = load_reviews(project, "alice", "bob", unit="character")
    assert [(r.code, len(r.items)) for r in reviews] == [("Caseload", 2), (P, 3)]
    data = reviews[1].as_json()
    assert (data["disagreements"], data["open"], data["items"][0]["status"]) == (3, 3, "open")
    assert data["items"][2]["spans_a"] == [[50, 60]] and data["items"][2]["spans_b"] == [[52, 60]]


def test_bad_requests_say_why(project: Project) -> None:
    with pytest.raises(QualcodeError, match="two different coders"):
        review(project, a="bob")
    with pytest.raises(QualcodeError, match="consensus"):
        review(project, b=CONSENSUS)
    with pytest.raises(QualcodeError, match="settling compares passages"):
        review(project, "document")
    with pytest.raises(QualcodeError, match="no item 4"):
        settle(project, review(project), 4, "a", decided_by="sue")
    with pytest.raises(QualcodeError, match="keep a, b, both or drop"):
        settle(project, review(project), 1, "maybe", decided_by="sue")


# -- settling ----------------------------------------------------------------------------------
def test_keep_a_codes_as_consensus_with_a_memo_on_the_coding(project: Project) -> None:
    receipt = settle(project, review(project), 3, "a", decided_by="sue")
    assert receipt.changed and receipt.document_ids == {1}
    assert consensus(project) == [("D1", 50, 60)]
    (memo,) = memos(project)
    with project.session() as s:
        on = s.get_one(Coding, memo.coding_id)
        assert (on.start, on.end, on.coder.name) == (50, 60, CONSENSUS)
        assert s.get_one(Coder, memo.coder_id).name == "sue"
    assert "keep alice's version" in memo.body and "bob coded: 52-60" in memo.body
    assert "Decided by sue" in memo.body and P in memo.title
    item = review(project).items[2]
    assert item.decision is not None
    assert (item.decision.choice, item.decision.kept, item.decision.decided_by) == (
        "a",
        ((50, 60),),
        "sue",
    )
    assert (review(project).settled, review(project).open) == (1, 2)
    # the same decision seen with the coders the other way round is "b"
    swapped = review(project, a="bob", b="alice").items[2]
    assert swapped.decision is not None and swapped.decision.choice == "b"


def test_settling_again_is_idempotent_and_another_way_replaces(project: Project) -> None:
    settle(project, review(project), 3, "b", decided_by="sue")
    again = settle(project, review(project), 3, "bob", decided_by="sue")  # a name works too
    assert not again.changed
    assert consensus(project) == [("D1", 52, 60)] and len(memos(project)) == 1
    settle(project, review(project), 3, "both", decided_by="sue")
    assert consensus(project) == [("D1", 50, 60)]  # the union
    (memo,) = memos(project)
    assert "keep both" in memo.body
    item = review(project).items[2]
    assert item.decision is not None and item.decision.choice == "both"


def test_drop_writes_a_project_memo_naming_the_passage(project: Project) -> None:
    settle(project, review(project), 1, "drop", decided_by="sue")
    assert consensus(project) == []
    (memo,) = memos(project)
    assert memo.target == "project"
    assert "D1 20-30" in memo.title and P in memo.title
    assert "alice coded: 20-30" in memo.body and "Consensus codes: nothing" in memo.body
    item = review(project).items[0]
    assert item.decision is not None and item.decision.choice == "drop"
    # keeping "b" where bob coded nothing keeps nothing, but is a different decision
    settle(project, review(project), 1, "b", decided_by="sue")
    item = review(project).items[0]
    assert item.decision is not None and item.decision.choice == "b"
    assert len(memos(project)) == 1 and consensus(project) == []


def test_undo_and_redo_restore_codings_and_memos(project: Project) -> None:
    settle(project, review(project), 3, "a", decided_by="sue")
    first_memo = memos(project)[0].body
    change = settle(project, review(project), 3, "b", decided_by="sue")
    assert consensus(project) == [("D1", 52, 60)]
    redo = undo(project, change, actor="sue")
    assert consensus(project) == [("D1", 50, 60)]
    assert [m.body for m in memos(project)] == [first_memo]
    assert memos(project)[0].coding_id is not None
    decision = review(project).items[2].decision
    assert decision is not None and decision.choice == "a"
    undo(project, redo, actor="sue")
    assert consensus(project) == [("D1", 52, 60)]
    decision = review(project).items[2].decision
    assert decision is not None and decision.choice == "b"


def test_reopen_removes_the_decision(project: Project) -> None:
    settle(project, review(project), 2, "b", decided_by="sue")
    assert consensus(project) == [("D1", 40, 50)]
    reopen(project, review(project), 2, actor="sue")
    assert consensus(project) == [] and memos(project) == []
    assert review(project).items[1].decision is None
    assert not reopen(project, review(project), 2, actor="sue").changed


def test_a_changed_coding_makes_a_new_open_passage(project: Project) -> None:
    settle(project, review(project), 1, "a", decided_by="sue")
    with project.write() as s:
        coding = s.scalars(
            select(Coding).join(Coder).where(Coder.name == "alice", Coding.start == 20)
        ).one()
        coding.end = 29
    item = review(project).items[0]
    assert item.decision is None and item.passage.spans_a == ((20, 29),)
    settle(project, review(project), 1, "a", decided_by="sue")  # replaces the stale decision
    assert consensus(project) == [("D1", 20, 29)] and len(memos(project)) == 1


def test_accept_agreements_copies_agreed_passages_once(project: Project) -> None:
    by_sentence = review(project, "sentence")
    receipt = accept_agreements(project, by_sentence, decided_by="sue")
    assert consensus(project) == [("D1", 0, 10), ("D1", 50, 60)]
    (memo,) = memos(project)
    assert memo.target == "project" and "2 passage(s)" in memo.body
    assert not accept_agreements(project, review(project, "sentence"), decided_by="sue").changed
    assert review(project, "sentence").agreements_in_consensus == 2
    undo(project, receipt, actor="sue")
    assert consensus(project) == [] and memos(project) == []


def test_a_memo_with_a_broken_record_is_ignored(project: Project) -> None:
    with project.write() as s:
        s.add(Memo(title="x", body="notes", decision={"spans": "not a mapping"}))
    assert review(project).settled == 0


def test_the_decision_is_data_and_the_memo_reads_as_words(project: Project) -> None:
    settle(project, review(project), 1, "b", decided_by="sue")
    (memo,) = memos(project)
    assert "qualcode-adjudication" not in memo.body and "{" not in memo.body
    assert memo.body.splitlines()[0] == "Decision: keep bob's version."
    assert memo.decision is not None
    assert memo.decision["kept_from"] == ["bob"] and memo.decision["by"] == "sue"
    assert review(project).items[0].decision is not None


# -- the command line --------------------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], project: Project, *args: str) -> tuple[int, str, str]:
    try:
        main(["--project", str(project.path), "--coder", "sue", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_list_settle_and_progress(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    pair = ("adjudicate", "--coders", "alice,bob", "--code", P, "--unit", "character")
    code, out, _ = run(capsys, project, *pair, "--json")
    assert code == 0
    assert [i["status"] for i in json.loads(out)["items"]] == ["open", "open", "open"]
    code, out, _ = run(capsys, project, *pair, "--keep", "a", "--item", "1,3")
    assert code == 0 and "item 1 (D1 20-30): kept alice's version" in out
    assert consensus(project) == [("D1", 20, 30), ("D1", 50, 60)]
    code, out, _ = run(capsys, project, *pair, "--keep", "a", "--item", "1", "--json")
    assert json.loads(out)[0]["changed"] is False
    code, out, _ = run(capsys, project, *pair, "--list")
    assert "2 settled, 1 open" in " ".join(out.split())
    code, out, _ = run(capsys, project, "adjudicate", "--coders", "alice,bob", "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    # by sentence, 50-60 is agreed; 20-30 is the same passage, so settled as before
    assert (rows[P]["settled"], rows[P]["open"]) == (1, 1)
    code, out, _ = run(capsys, project, *pair, "--reopen", "3", "--json")
    assert json.loads(out)[0]["removed"] == [[1, 50, 60]]
    code, out, _ = run(capsys, project, *pair, "--accept-agreements", "--json")
    assert json.loads(out)["added"] == [[1, 0, 10]]
    assert consensus(project) == [("D1", 0, 10), ("D1", 20, 30)]


def test_cli_items_match_qualcode_disagreements(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    _, listed, _ = run(capsys, project, "disagreements", "--coders", "alice,bob", "-c", P, "--json")
    args = ("adjudicate", "--coders", "alice,bob", "-c", P, "--unit", "character", "--json")
    _, mine, _ = run(capsys, project, *args)
    keys = ("document", "kind", "start", "end", "spans_a", "spans_b", "text")
    assert [{k: d[k] for k in keys} for d in json.loads(mine)["items"]] == [
        {k: d[k] for k in keys} for d in json.loads(listed)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coders", "alice", "--code", P), "exactly two coders"),
        (("--coders", "alice,bob", "--code", P, "--keep", "a"), "--item N"),
        (("--coders", "alice,bob", "--code", P, "--item", "1"), "--item goes with --keep"),
        (("--coders", "alice,bob", "--keep", "a", "--item", "1"), "--code"),
        (("--coders", "alice,bob", "--code", P, "--keep", "a", "--item", "x"), "whole numbers"),
        (("--coders", "alice,bob", "--code", P, "--keep", "a", "--item", "9"), "no item 9"),
        (("--coders", "alice,bob", "--code", P, "--list", "--accept-agreements"), "one of"),
        (("--coders", "alice,bob", "--unit", "word"), "settling compares passages"),
        (("--coders", "alice,zed"), "no coder 'zed'"),
    ],
)
def test_cli_errors_are_one_line(
    project: Project, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _out, err = run(capsys, project, "adjudicate", *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert consensus(project) == []
