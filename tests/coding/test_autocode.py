"""Auto-code: find hits, widen them to units, dedupe, preview, apply as one undoable batch."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qualcode.coding.autocode import AutocodeQuery, apply_autocode, preview_autocode
from qualcode.coding.history import History
from qualcode.errors import QualcodeError
from qualcode.store.models import AuditEntry, Coding

from ..run_cli import cli
from .conftest import TEXT_1, TEXT_2, Small, add_codings, span_of


def preview(small: Small, unit: str = "sentence", **query: str) -> list[tuple[str, str]]:
    with small.project.session() as s:
        pv = preview_autocode(s, AutocodeQuery(**query), unit=unit)
    return [(i.document, i.text) for i in pv.items]


def test_search_words_widened_to_sentences(small: Small) -> None:
    assert preview(small, search="PLEA") == [
        ("P01.txt", "Plea deals are common."),
        ("P01.txt", "And plea bargains?"),
        ("P01.txt", "A plea bargain saves time."),
        ("P02.txt", "Any plea deals?"),
        ("P02.txt", "Maybe one plea deal a year."),
    ]
    with_stems = preview(small, search="plea*")
    assert ("P01.txt", "We plead out most cases.") in with_stems
    assert len(with_stems) == 6
    assert preview(small, search="plea   deal") == [("P02.txt", "Maybe one plea deal a year.")]


def test_preview_items_carry_spans_hits_and_counts(small: Small) -> None:
    with small.project.session() as s:
        pv = preview_autocode(s, AutocodeQuery(regex=r"lab|slow|half"), unit="sentence")
    assert pv.hits == 4  # lab and slow in one sentence, lab again in P02, half
    assert pv.documents_searched == 2
    assert [(i.document, i.text, i.hit_texts) for i in pv.items] == [
        ("P01.txt", "About half.", ("half",)),
        ("P01.txt", "The lab is slow.", ("lab", "slow")),
        ("P02.txt", "The lab is fast here.", ("lab",)),
    ]
    item = pv.items[1]
    assert (item.start, item.end) == span_of(TEXT_1, "The lab is slow.")
    assert item.hits == (span_of(TEXT_1, "lab"), span_of(TEXT_1, "slow"))


def test_a_hit_across_sentences_codes_both_and_units_turn_and_hit(small: Small) -> None:
    assert preview(small, regex=r"half\. The") == [
        ("P01.txt", "About half."),
        ("P01.txt", "The lab is slow."),
    ]
    turn = "P02: Rarely. Maybe one plea deal a year."
    assert preview(small, unit="turn", search="rarely") == [("P02.txt", turn)]
    assert preview(small, unit="hit", search="plea deal*") == [
        ("P01.txt", "Plea deals"),
        ("P02.txt", "plea deals"),
        ("P02.txt", "plea deal"),
    ]


def test_hits_outside_any_unit_are_counted_not_coded(small: Small) -> None:
    with small.project.session() as s:
        pv = preview_autocode(s, AutocodeQuery(search="interviewer"), unit="sentence")
        turns = preview_autocode(s, AutocodeQuery(search="interviewer"), unit="turn")
    assert (pv.hits, pv.outside_units, pv.items) == (4, 4, [])
    assert len(turns.items) == 4


def test_spacy_pattern(small: Small) -> None:
    pattern = '[{"LOWER": "plea"}, {"LOWER": {"IN": ["deal", "deals"]}}]'
    assert preview(small, unit="hit", pattern=pattern) == [
        ("P01.txt", "Plea deals"),
        ("P02.txt", "plea deals"),
        ("P02.txt", "plea deal"),
    ]
    several = '[[{"LOWER": "lab"}], [{"LOWER": "discovery"}]]'
    assert preview(small, pattern=several) == [
        ("P01.txt", "The lab is slow."),
        ("P02.txt", "The lab is fast here."),
        ("P02.txt", "Discovery is the hard part."),
    ]


def test_speaker_turns_and_speaker_as_a_filter(small_any: Small) -> None:
    small = small_any
    assert preview(small, unit="turn", speaker="p01") == [
        ("P01.txt", "P01: About half. The lab is slow. Plea deals are common."),
        ("P01.txt", "P01: A plea bargain saves time. We plead out most cases."),
    ]
    assert len(preview(small, unit="sentence", speaker="P01")) == 5
    assert preview(small, search="plea", speaker="Interviewer") == [
        ("P01.txt", "And plea bargains?"),
        ("P02.txt", "Any plea deals?"),
    ]


def test_one_document_only(small: Small) -> None:
    with small.project.session() as s:
        pv = preview_autocode(s, AutocodeQuery(search="plea"), documents=["P02"])
    assert [i.text for i in pv.items] == ["Any plea deals?", "Maybe one plea deal a year."]
    assert pv.documents_searched == 1


def test_apply_is_one_undo_and_marks_what_is_already_coded(small_any: Small) -> None:
    small = small_any
    history = History(small.project, "ana")
    with small.project.session() as s:
        pv = preview_autocode(
            s, AutocodeQuery(search="plea"), code="Plea bargaining", coder="ana", documents=["P02"]
        )
    assert pv.code == "Triage/Plea bargaining"
    assert [i.already_coded for i in pv.items] == [False, False]
    ids = apply_autocode(history, pv)
    assert len(ids) == 2
    with small.project.session() as s:
        rows = s.execute(select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)).all()
        assert sorted(tuple(r) for r in rows) == [
            (small.docs["P02.txt"], small.codes["Plea bargaining"], *span_of(TEXT_2, t))
            for t in ("Any plea deals?", "Maybe one plea deal a year.")
        ]
        logs = s.scalars(select(AuditEntry).where(AuditEntry.action == "add")).all()
        assert len(logs) == 2  # one record per coding, each saying how it was made
        for log in logs:
            assert log.detail is not None and log.detail["via"] == "auto-code"
            assert log.detail["query"] == pv.query.describe()
            assert log.detail["code"] == "Triage/Plea bargaining"
        again = preview_autocode(
            s, AutocodeQuery(search="plea"), code="Plea bargaining", coder="ana", documents=["P02"]
        )
    assert [i.already_coded for i in again.items] == [True, True]
    assert again.new_items == []
    assert apply_autocode(history, again) == []
    assert history.undo() is not None and history.undo() is None
    with small.project.session() as s:
        assert s.scalars(select(Coding)).all() == []


def test_apply_needs_a_code(small: Small) -> None:
    with small.project.session() as s:
        pv = preview_autocode(s, AutocodeQuery(search="plea"))
    with pytest.raises(QualcodeError, match="choose the code"):
        apply_autocode(History(small.project, "ana"), pv)
    assert apply_autocode(History(small.project, "ana"), pv, code=small.codes["Triage"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"regex": "(unclosed"}, "bad regular expression"),
        ({"pattern": "[{"}, "not valid JSON"),
        ({"pattern": '{"LOWER": "x"}'}, "JSON list of token objects"),
        ({"pattern": '[{"POS": "NOUN"}]'}, "needs a trained model"),
        ({"pattern": '[{"LOWERR": "x"}]'}, "spaCy cannot use this pattern"),
        ({"speaker": "P99"}, r"no turns by speaker 'P99'; speakers: Interviewer, P01, P02"),
        ({"search": "a", "regex": "b"}, "not several"),
        ({}, "give a search"),
        ({"search": "  "}, "empty"),
        ({"search": "*"}, "must follow some letters"),
    ],
)
def test_bad_queries(small: Small, query: dict[str, str], message: str) -> None:
    with small.project.session() as s, pytest.raises(QualcodeError, match=message):
        preview_autocode(s, AutocodeQuery(**query))


def test_bad_unit_and_code(small: Small) -> None:
    with small.project.session() as s:
        with pytest.raises(QualcodeError, match="unknown unit 'word'"):
            preview_autocode(s, AutocodeQuery(search="plea"), unit="word")
        with pytest.raises(QualcodeError, match="no code 'Nope'"):
            preview_autocode(s, AutocodeQuery(search="plea"), code="Nope")


def test_cli_dry_run_then_apply(small: Small, capsys: pytest.CaptureFixture[str]) -> None:
    db = small.project.url
    args = ["autocode", "--code", "Lab backlog", "--search", "lab", "--project", db]
    code, out, _ = cli(capsys, *args, "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["hits"], data["units"], data["new"]) == (2, 2, 2)
    assert [i["text"] for i in data["items"]] == ["The lab is slow.", "The lab is fast here."]
    with small.project.session() as s:
        assert s.scalars(select(Coding)).all() == []
    code, _, err = cli(capsys, *args)
    assert code == 2 and "--coder" in err
    code, out, _ = cli(capsys, *args, "--coder", "ana")
    assert code == 0 and "2 coding(s) added as ana" in out
    with small.project.session() as s:
        spans = sorted((c.start, c.end) for c in s.scalars(select(Coding)))
    assert spans == sorted(
        [span_of(TEXT_1, "The lab is slow."), span_of(TEXT_2, "The lab is fast here.")]
    )
    code, _, err = cli(capsys, "autocode", "-c", "Lab backlog", "-r", "(", "-n", "--project", db)
    assert code == 2 and "bad regular expression" in err


def test_units_inside_the_coders_codings_are_not_coded_again(small: Small) -> None:
    """ "plea" hits 5 sentences. By hand: ana's coding of P01's "P01: A plea bargain saves
    time. We plead out" holds "A plea bargain saves time."; ana's two touching codings in P02,
    from "Any" to "Maybe one" and from there to the end, hold "Any plea deals?" (the first) and
    "Maybe one plea deal a year." (only the two together). ben's coding of "Plea deals are
    common." and ana's with another code do not count. So 3 units are already coded, 2 are not
    yet coded, and applying adds exactly those 2."""
    add_codings(
        small,
        [
            ("P01.txt", "Plea bargaining", "ana", "P01: A plea bargain saves time. We plead out"),
            ("P01.txt", "Plea bargaining", "ben", "Plea deals are common."),
            ("P01.txt", "Lab backlog", "ana", "Plea deals are common."),
        ],
    )
    cut = span_of(TEXT_2, "Maybe one")[1]
    with small.project.write() as s:
        for start, end in ((TEXT_2.index("Any plea"), cut), (cut, len(TEXT_2))):
            s.add(
                Coding(
                    document_id=small.docs["P02.txt"],
                    code_id=small.codes["Plea bargaining"],
                    coder_id=small.coders["ana"],
                    start=start,
                    end=end,
                )
            )
    query = AutocodeQuery(search="plea")
    with small.project.session() as s:
        pv = preview_autocode(s, query, code="Plea bargaining", coder="ana")
    assert [(i.text, i.already_coded) for i in pv.items] == [
        ("Plea deals are common.", False),
        ("And plea bargains?", False),
        ("A plea bargain saves time.", True),
        ("Any plea deals?", True),
        ("Maybe one plea deal a year.", True),
    ]
    assert pv.as_json()["new"] == 2
    ids = apply_autocode(History(small.project, "ana"), pv)
    with small.project.session() as s:
        added = s.execute(select(Coding.start, Coding.end).where(Coding.id.in_(ids))).all()
    assert sorted(TEXT_1[a:b] for a, b in added) == ["And plea bargains?", "Plea deals are common."]
