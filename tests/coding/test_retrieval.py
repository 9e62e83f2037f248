"""Retrieval: coded segments by code, descendants and groups, in context, with filters."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Subquery, insert, literal, select, union_all

from qualcode.analysis.units import documents_with_units, speaker_at, units_around
from qualcode.coding.retrieval import (
    parse_filter,
    retrieval_choices,
    retrieve,
    summarise,
)
from qualcode.errors import QualcodeError
from qualcode.store import Document, Project, Segment, open_project

from ..run_cli import cli
from .conftest import TEXT_1, TEXT_2, Small, add_codings, span_of


@pytest.fixture
def coded(small: Small) -> Small:
    return with_codings(small)


def with_codings(small: Small) -> Small:
    add_codings(
        small,
        [
            ("P01.txt", "Plea bargaining", "ana", "Plea deals"),
            ("P01.txt", "Plea bargaining", "ben", "A plea bargain saves time."),
            ("P01.txt", "Lab backlog", "ana", "lab is slow"),
            ("P02.txt", "Plea bargaining", "ana", "one plea deal a year"),
            ("P02.txt", "Triage", "ben", "Rarely."),
        ],
    )
    return small


def test_one_code_in_document_order_with_sentence_context(coded: Small) -> None:
    with coded.project.session() as s:
        rows = retrieve(s, codes=["Triage/Plea bargaining"])
    assert [(r.document, r.coder, r.text) for r in rows] == [
        ("P01.txt", "ana", "Plea deals"),
        ("P01.txt", "ben", "A plea bargain saves time."),
        ("P02.txt", "ana", "one plea deal a year"),
    ]
    first = rows[0]
    assert (first.start, first.end) == span_of(TEXT_1, "Plea deals")
    assert first.before == ""
    assert first.after == " are common."
    assert first.participant == "P01"
    assert first.speaker == "P01"
    assert first.code == "Triage/Plea bargaining"
    assert rows[2].before == "Maybe "
    assert rows[2].marked() == "Maybe [one plea deal a year]."
    assert (rows[2].context_start, rows[2].context_end) == span_of(
        TEXT_2, "Maybe one plea deal a year."
    )


def test_descendants_and_turn_context(small_any: Small) -> None:
    coded = with_codings(small_any)
    with coded.project.session() as s:
        rows = retrieve(s, codes=["Triage"], descendants=True, context="turn")
        only_parent = retrieve(s, codes=["Triage"])
    assert [r.text for r in only_parent] == ["Rarely."]
    assert [r.text for r in rows] == [
        "Plea deals",
        "A plea bargain saves time.",
        "Rarely.",
        "one plea deal a year",
    ]
    rarely = rows[2]
    assert rarely.before == "P02: "
    assert rarely.after == " Maybe one plea deal a year."


def test_character_context_stops_at_whole_words(coded: Small) -> None:
    with coded.project.session() as s:
        (row,) = retrieve(s, codes=["Lab backlog"], context=8)
    # 8 characters either side would cut "half." and "deals"; whole words only.
    assert row.before == "The "
    assert row.after == ". Plea"
    with coded.project.session() as s:
        (row,) = retrieve(s, codes=["Lab backlog"], context="0")
    assert (row.before, row.after) == ("", "")


def test_code_group(coded: Small) -> None:
    with coded.project.session() as s:
        rows = retrieve(s, group="Delays")
        with pytest.raises(QualcodeError, match=r"no code group 'Nope'.*Delays"):
            retrieve(s, group="Nope")
    assert [r.text for r in rows] == ["lab is slow"]


def test_attribute_filters_and(small_any: Small) -> None:
    coded = with_codings(small_any)
    with coded.project.session() as s:

        def texts(*where: str) -> list[str]:
            return [r.text for r in retrieve(s, codes=["Plea bargaining"], where=where)]

        assert texts("state=ohio") == ["Plea deals", "A plea bargain saves time."]
        assert texts("state=Ohio,Texas") == [
            "Plea deals",
            "A plea bargain saves time.",
            "one plea deal a year",
        ]
        assert texts("state=Texas", "office_type=federal") == ["one plea deal a year"]
        assert texts("state=Texas", "office_type=county") == []
        assert texts("years_experience>=10") == ["Plea deals", "A plea bargain saves time."]
        assert texts("years_experience<10") == ["one plea deal a year"]
        assert texts("state!=Ohio") == ["one plea deal a year"]
        assert texts("participant=P02") == ["one plea deal a year"]


def test_bad_filters_say_what_is_wrong(coded: Small) -> None:
    with coded.project.session() as s:
        with pytest.raises(QualcodeError, match=r"no attribute 'county'.*office_type"):
            retrieve(s, codes=["Triage"], where=["county=yes"])
        with pytest.raises(QualcodeError, match="holds numbers"):
            retrieve(s, codes=["Triage"], where=["years_experience>=ten"])
        with pytest.raises(QualcodeError, match="compares numbers and dates"):
            retrieve(s, codes=["Triage"], where=["state>Ohio"])
        with pytest.raises(QualcodeError, match="not name=value"):
            parse_filter("state")
        with pytest.raises(QualcodeError, match="say which code"):
            retrieve(s)
        with pytest.raises(QualcodeError, match="context"):
            retrieve(s, codes=["Triage"], context="chapter")


def test_coder_and_document_filters(coded: Small) -> None:
    with coded.project.session() as s:
        by_ben = retrieve(s, codes=["Triage"], descendants=True, coders=["ben"])
        in_p02 = retrieve(s, codes=["Triage"], descendants=True, documents=["P02"])
    assert [r.text for r in by_ben] == ["A plea bargain saves time.", "Rarely."]
    assert [r.text for r in in_p02] == ["Rarely.", "one plea deal a year"]


def test_summary_and_choices(coded: Small) -> None:
    with coded.project.session() as s:
        rows = retrieve(s, codes=["Triage"], descendants=True)
        choices = retrieval_choices(s)
    summary = summarise(rows)
    assert (summary.segments, summary.documents, summary.participants) == (4, 2, 2)
    assert summary.by_code == {"Triage": 1, "Triage/Plea bargaining": 3}
    assert summary.by_coder == {"ana": 2, "ben": 2}
    assert [p for _i, p in choices.codes] == ["Lab backlog", "Triage", "Triage/Plea bargaining"]
    assert choices.code_groups == ["Delays"]
    assert choices.coders == ["ana", "ben"]
    assert choices.attributes["years_experience"] == ["9", "14"]
    assert choices.attributes["state"] == ["Ohio", "Texas"]


def test_cli_retrieve(coded: Small, capsys: pytest.CaptureFixture[str]) -> None:
    db = coded.project.url
    code, out, _ = cli(capsys, "retrieve", "Triage", "--descendants", "--project", db, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["segments"] == 4
    assert data["segments"][0]["text"] == "Plea deals"
    assert data["segments"][0]["after"] == " are common."
    code, out, _ = cli(
        capsys,
        "retrieve",
        "Triage",
        "--descendants",
        "-w",
        "state=Texas",
        "--coder",
        "ben",
        "--project",
        db,
        "--json",
    )
    assert [r["text"] for r in json.loads(out)["segments"]] == ["Rarely."]
    code, out, _ = cli(capsys, "retrieve", "Plea bargaining", "--by", "ana", "--project", db)
    assert code == 0
    assert "Maybe one plea deal a year." in out
    assert "2 segment(s) in 2 document(s) from 2 participant(s)" in out
    code, _, err = cli(capsys, "retrieve", "Triage", "-w", "nope=1", "--project", db)
    assert code == 2
    assert "no attribute 'nope'" in err


@pytest.fixture(scope="module")
def units_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = open_project(tmp_path_factory.mktemp("units") / "units.db", create=True)
    yield project
    project.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=15),
    st.lists(st.tuples(st.integers(0, 120), st.integers(1, 30)), min_size=1, max_size=4),
    st.booleans(),
)
def test_units_read_around_spans_equal_a_scan(
    units_project: Project, lengths: list[int], spans: list[tuple[int, int]], gap: bool
) -> None:
    """The units read around each span (by SQL, without the document's other units) give the
    context and speaker that scanning every unit of the document gives."""
    units, pos = [], 0
    for n in lengths:  # adjacent units, as sentences or turns are (or with gaps between)
        units.append((pos, pos + n))
        pos += n + (3 if gap else 0)
    with units_project.write() as s:
        doc = Document(
            name=f"d{uuid.uuid4().hex}", text="x" * (pos + 40), sha256=uuid.uuid4().hex,
            source_name="x", source_format="txt",
        )  # fmt: skip
        s.add(doc)
        s.flush()
        rows = [
            dict(document_id=doc.id, kind=kind, start=a, end=b, speaker=f"S{a}")
            for kind in ("sentence", "turn")
            for a, b in units
        ]
        s.execute(insert(Segment), rows)

        def table(one_character: bool) -> Subquery:
            """The spans (or their first characters, as for a speaker) as a subquery."""
            return union_all(
                *(
                    select(
                        literal(i).label("id"),
                        literal(doc.id).label("document_id"),
                        literal(a).label("start"),
                        literal(a + (1 if one_character else n)).label("end"),
                    )
                    for i, (a, n) in enumerate(spans)
                )
            ).subquery()

        around = units_around(s, "sentence", table(False))
        with_units = documents_with_units(s, "sentence", table(False))
        turns = units_around(s, "turn", table(True))
        turns_around = units_around(s, "turn", table(False))  # as for a context of turns
    assert with_units == {doc.id}
    for i, (start, n) in enumerate(spans):
        end = start + n
        touched = [(a, b) for a, b in units if a < end and b > start]
        read = [(a, b) for a, b, _ in around.get(i, []) if b > start]
        assert read == touched
        scanned = next((f"S{a}" for a, b in units if a <= start < b), None)
        assert speaker_at(turns.get(i, []), start) == scanned
        assert speaker_at(turns_around.get(i, []), start) == scanned
