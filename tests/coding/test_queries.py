"""The workbench's read models and small writes: codebook order, counts, document and
participant rows, settings, memos, and spans of text (trimming, turn bodies, word steps)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from qualcode.coding.code_entries import code_counts, codebook_entries
from qualcode.coding.coders import coder_names, coders_by_codings, get_or_create_coder
from qualcode.coding.document_view import document_codings, document_rows, load_document
from qualcode.coding.history import History
from qualcode.coding.memos import read_memo, save_memo
from qualcode.coding.participants import attribute_text, participant_overview
from qualcode.coding.span_edit import resized_span, trim_span, turn_body_start
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.db import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Document,
    Memo,
    Participant,
    Segment,
)
from qualcode.store.settings import get_setting, set_setting

TEXT = "Interviewer: Why?\n\nP01: The lab is slow. Very slow."


def build(project: Project) -> dict[str, int]:
    with project.write() as s:
        p = Participant(label="P01")
        attr = Attribute(name="years", kind="number")
        s.add_all([p, attr])
        s.flush()
        s.add(AttributeValue(participant_id=p.id, attribute_id=attr.id, number_value=14.0))
        doc = Document(
            name="P01.txt",
            text=TEXT,
            sha256="x",
            source_name="P01.txt",
            source_format="txt",
            participant_id=p.id,
        )
        s.add(doc)
        b = Document(name="B.txt", text="no one", sha256="y", source_name="B", source_format="txt")
        s.add(b)
        parent = Code(name="Lab", colour="#112233", key="d", position=1, guid="1")
        other = Code(name="Alpha", colour="#445566", position=0, guid="2")
        s.add_all([parent, other])
        s.flush()
        child = Code(name="Backlog", parent_id=parent.id, guid="3")
        s.add(child)
        s.flush()
        s.add_all(
            [
                Segment(document_id=doc.id, kind="turn", start=19, end=len(TEXT), speaker="P01"),
                Segment(document_id=doc.id, kind="sentence", start=24, end=40, speaker="P01"),
                Segment(document_id=doc.id, kind="paragraph", start=19, end=len(TEXT)),
            ]
        )
        ids = {"doc": doc.id, "b": b.id, "Lab": parent.id, "Alpha": other.id, "Backlog": child.id}
    ana, bob = History(project, "ana"), History(project, "bob")
    ana.add(ids["doc"], ids["Lab"], 24, 40)
    ana.add(ids["doc"], ids["Backlog"], 28, 40)
    bob.add(ids["doc"], ids["Lab"], 30, 46)
    return ids


def test_codebook_entries_put_parents_first_in_codebook_order(project: Project) -> None:
    build(project)
    with project.session() as s:
        entries = codebook_entries(s)
    assert [e.path for e in entries] == ["Alpha", "Lab", "Lab/Backlog"]
    assert entries[1].key == "d" and entries[1].colour == "#112233"
    assert entries[2].parent_id == entries[1].id


def test_counts_by_coder_and_document(project: Project) -> None:
    ids = build(project)
    with project.session() as s:
        assert code_counts(s) == {ids["Lab"]: 2, ids["Backlog"]: 1}
        assert code_counts(s, coder="bob") == {ids["Lab"]: 1}
        assert code_counts(s, document_id=ids["b"]) == {}
        assert coder_names(s) == ["ana", "bob"]


def test_coders_by_codings_most_first_and_only_those_who_coded(project: Project) -> None:
    ids = build(project)
    with project.write() as s:
        get_or_create_coder(s, "carl")  # no codings: not listed
    for coder, end in (("bob", 30), ("bob", 35), ("dee", 30)):
        History(project, coder).add(ids["doc"], ids["Alpha"], 19, end)
    with project.session() as s:
        assert coder_names(s) == ["ana", "bob", "carl", "dee"]
        # bob 3 codings, ana 2, dee 1
        assert coders_by_codings(s) == ["bob", "ana", "dee"]


def test_document_and_its_codings(project: Project) -> None:
    ids = build(project)
    with project.session() as s:
        data = load_document(s, ids["doc"])
        codings = document_codings(s, ids["doc"])
        with pytest.raises(NotFound):
            load_document(s, 999)
    assert data.participant == "P01" and data.text == TEXT
    assert [(t.start, t.speaker) for t in data.turns] == [(19, "P01")]
    assert [(x.start, x.end) for x in data.sentences] == [(24, 40)]
    assert [(c.coder, c.start, c.end) for c in codings] == [
        ("ana", 24, 40),
        ("ana", 28, 40),
        ("bob", 30, 46),
    ]


def test_document_rows(project: Project) -> None:
    build(project)
    with project.session() as s:
        rows = {r.name: r for r in document_rows(s, "ana")}
    doc = rows["P01.txt"]
    assert (doc.participant, doc.characters, doc.codings, doc.mine) == ("P01", len(TEXT), 3, 2)
    assert doc.coded_share == pytest.approx((46 - 24) / len(TEXT))
    assert (rows["B.txt"].codings, rows["B.txt"].coded_share) == (0, 0.0)


def test_participant_overview(project: Project) -> None:
    build(project)
    with project.session() as s:
        names, rows = participant_overview(s)
    assert names == ["years"]
    assert [(r.label, r.documents, r.attributes) for r in rows] == [
        ("P01", ["P01.txt"], {"years": 14.0})
    ]


def test_attribute_text() -> None:
    assert [attribute_text(v) for v in (14.0, 2.5, None, "x", dt.date(2024, 5, 1))] == [
        "14",
        "2.5",
        "",
        "x",
        "2024-05-01",
    ]


def test_settings(project: Project) -> None:
    with project.write() as s:
        assert get_setting(s, "tui.coder") is None
        set_setting(s, "tui.coder", "ana")
    with project.write() as s:
        set_setting(s, "tui.coder", "bob")
    with project.session() as s:
        assert get_setting(s, "tui.coder") == "bob"


def test_memos_on_document_code_and_coding(project: Project) -> None:
    ids = build(project)
    with project.session() as s:
        coding_id = document_codings(s, ids["doc"])[0].id
    with project.write() as s:
        save_memo(s, "document", ids["doc"], "ana", "first read")
        save_memo(s, "code", ids["Lab"], "ana", "lab only")
        save_memo(s, "coding", coding_id, "ana", "  key quote ")
    with project.write() as s:
        save_memo(s, "document", ids["doc"], "ana", "second read")  # replaces ana's memo
        save_memo(s, "document", ids["doc"], "bob", "bob's view")
    with project.session() as s:
        assert read_memo(s, "document", ids["doc"], "ana") == "second read"
        assert read_memo(s, "document", ids["doc"], "bob") == "bob's view"
        assert read_memo(s, "document", ids["doc"], "nobody") == ""
        assert read_memo(s, "code", ids["Lab"], "ana") == "lab only"
        assert read_memo(s, "coding", coding_id, "ana") == "key quote"
        # one home: the coding's memo is a memo row like the others
        assert len(s.scalars(select(Memo)).all()) == 4
        assert s.scalars(select(Memo.coding_id).where(Memo.coding_id.is_not(None))).all() == [
            coding_id
        ]
    with project.write() as s:
        save_memo(s, "document", ids["doc"], "ana", "   ")  # empty: removed
        save_memo(s, "coding", coding_id, "ana", "")
    with project.session() as s:
        assert read_memo(s, "document", ids["doc"], "ana") == ""
        assert read_memo(s, "coding", coding_id, "ana") == ""
        assert len(s.scalars(select(Memo)).all()) == 2
    with project.write() as s, pytest.raises(QualcodeError):
        save_memo(s, "project", 1, "ana", "x")
    with project.write() as s, pytest.raises(NotFound):
        save_memo(s, "code", 999, "ana", "x")


def test_trim_span_and_turn_body() -> None:
    text = "  P01: Hello there.  \n"
    assert trim_span(text, 0, len(text)) == (2, 19)
    assert trim_span(text, 0, 2) is None
    assert turn_body_start(text, 2, 21, "P01") == 7
    assert turn_body_start(text, 2, 21, "P02") == 2
    assert turn_body_start(text, 2, 21, None) == 2
    assert turn_body_start("P01 said", 0, 8, "P01") == 0


@pytest.mark.parametrize(
    ("edge", "step", "expected"),
    [
        ("end", 1, "lab is slow, really"),
        ("end", -1, "lab is"),
        ("start", -1, "The lab is slow"),
        ("start", 1, "is slow"),
    ],
)
def test_resized_span_moves_one_edge_by_a_word(edge: str, step: int, expected: str) -> None:
    text = "The lab is slow, really slow."
    start = text.index("lab")
    span = resized_span(text, start, start + len("lab is slow"), edge, step)
    assert span is not None
    assert text[span[0] : span[1]] == expected


def test_resized_span_refuses_to_vanish_or_leave_the_text() -> None:
    text = "one two"
    assert resized_span(text, 0, 3, "end", -1) is None
    assert resized_span(text, 0, 3, "start", 1) is None
    assert resized_span(text, 0, 7, "end", 1) is None
    assert resized_span(text, 0, 7, "start", -1) is None
    with pytest.raises(QualcodeError):
        resized_span(text, 0, 3, "middle", 1)
