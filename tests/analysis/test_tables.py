"""Frequencies, matrices, co-occurrence and summaries against counts made here by naive loops."""

from __future__ import annotations

import math
from itertools import combinations
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from qualcode.analysis.tables import (
    OVERALL,
    cooccurrence_table,
    frequency_table,
    matrix_table,
    summary_table,
    to_records,
)
from qualcode.errors import QualcodeError

if TYPE_CHECKING:  # the fixture's type, from this folder's conftest.py
    from conftest import Built

Coding = tuple[str, str, str, int, int]


def path(b: Built, code: str) -> str:
    parts = [code]
    while b.codes[parts[-1]] is not None:
        parts.append(str(b.codes[parts[-1]]))
    return "/".join(reversed(parts))


def subtree(b: Built, code: str) -> set[str]:
    out = {code}
    for child, parent in b.codes.items():
        if parent == code:
            out |= subtree(b, child)
    return out


def has_children(b: Built, code: str) -> bool:
    return any(parent == code for parent in b.codes.values())


def naive_words(b: Built, codings: list[Coding]) -> int:
    """Per coder and document: runs of covered letters/digits in a character mask."""
    total = 0
    for coder in {c[2] for c in codings}:
        for doc in {c[0] for c in codings}:
            text = b.texts[doc]
            mask = [False] * len(text)
            for d, _code, who, start, end in codings:
                if d == doc and who == coder:
                    for i in range(start, end):
                        mask[i] = True
            in_word = False
            for i, ch in enumerate(text):
                covered_word_char = mask[i] and ch.isalnum()
                if covered_word_char and not in_word:
                    total += 1
                in_word = covered_word_char
    return total


def naive_row(
    b: Built, codings: list[Coding], codes: set[str], denominator: int
) -> dict[str, object]:
    mine = [c for c in codings if c[1] in codes]
    people = {b.owner[c[0]] for c in mine} - {None}
    return {
        "codings": len(mine),
        "documents": len({c[0] for c in mine}),
        "participants": len(people),
        "pct_participants": 100 * len(people) / denominator if denominator else None,
        "words": naive_words(b, mine),
    }


def expected_rows(
    b: Built, codings: list[Coding], denominator: int
) -> dict[tuple[str, bool], dict[str, object]]:
    out = {}
    for code in b.codes:
        out[(path(b, code), False)] = naive_row(b, codings, {code}, denominator)
        if has_children(b, code):
            out[(path(b, code), True)] = naive_row(b, codings, subtree(b, code), denominator)
    return out


def as_rows(records: list[dict[str, object]]) -> dict[tuple[str, bool], dict[str, object]]:
    return {
        (str(r["code"]), bool(r["rolled_up"])): {k: r[k] for k in list(r)[-5:]} for r in records
    }


def test_frequencies_match_naive_counts(built: Built) -> None:
    with built.project.session() as s:
        frame = frequency_table(s)
    records = to_records(frame)
    assert list(frame.columns) == [
        "code",
        "rolled_up",
        "codings",
        "documents",
        "participants",
        "pct_participants",
        "words",
    ]
    assert as_rows(records) == expected_rows(built, built.codings, 4)
    # tree order, parents before children, the rolled-up row right after the code's own row
    assert [(r["code"], r["rolled_up"]) for r in records][:4] == [
        ("Caseload", False),
        ("Caseload", True),
        ("Caseload/Volume", False),
        ("Caseload/Volume", True),
    ]
    caseload_all = as_rows(records)[("Caseload", True)]
    assert caseload_all["codings"] == 15  # every coding except Triage's four
    assert caseload_all["participants"] == 3  # d4 has no participant; P4 has no codings
    assert caseload_all["pct_participants"] == 75.0
    assert as_rows(records)[("Unused", False)]["codings"] == 0


def test_overlaps_by_one_coder_do_not_double_count_words(built: Built) -> None:
    with built.project.session() as s:
        rows = as_rows(to_records(frequency_table(s, coder="bob")))
    # bob's Backlog in d5: "Second talk." + "talk. Still" overlap -> Second, talk, Still
    # bob's Backlog in d1: "lab is far" -> 3 words
    assert rows[("Caseload/Volume/Backlog", False)]["words"] == 6
    assert rows[("Caseload/Volume/Backlog", False)]["codings"] == 3


def test_frequencies_for_one_coder(built: Built) -> None:
    with built.project.session() as s:
        records = to_records(frequency_table(s, coder="ann"))
    ann = [c for c in built.codings if c[2] == "ann"]
    assert as_rows(records) == expected_rows(built, ann, 4)


def test_unknown_coder_is_an_error(built: Built) -> None:
    with built.project.session() as s, pytest.raises(QualcodeError, match="no coder"):
        frequency_table(s, coder="zed")


@pytest.mark.parametrize("by", ["document", "participant", "coder", "state", "years"])
def test_grouped_frequencies_match_naive_counts(built: Built, by: str) -> None:
    with built.project.session() as s:
        records = to_records(frequency_table(s, by=by))
    years = {k: f"{v:g}" for k, v in built.years.items()}
    attribute = built.state if by == "state" else years

    def group_of(c: Coding) -> str:
        owner = built.owner[c[0]]
        if by == "document":
            return c[0]
        if by == "participant":
            return owner or "(no participant)"
        if by == "coder":
            return c[2]
        return attribute.get(owner, "(no value)") if owner else "(no value)"

    def members(group: str) -> int:
        everyone = built.participants
        if by == "document":
            return 1 if built.owner[group] else 0
        if by == "participant":
            return 0 if group == "(no participant)" else 1
        if by == "coder":
            return len(everyone)
        return sum(1 for p in everyone if attribute.get(p, "(no value)") == group)

    expected: dict[tuple[str, str, bool], dict[str, object]] = {}
    for group in {group_of(c) for c in built.codings}:
        mine = [c for c in built.codings if group_of(c) == group]
        for (code, rolled), row in expected_rows(built, mine, members(group)).items():
            if row["codings"]:
                expected[(group, code, rolled)] = row
    got = {
        (str(r["group"]), str(r["code"]), bool(r["rolled_up"])): {k: r[k] for k in list(r)[-5:]}
        for r in records
    }
    assert got == expected


def test_group_by_unknown_attribute(built: Built) -> None:
    with built.project.session() as s, pytest.raises(QualcodeError, match="no attribute"):
        frequency_table(s, by="county")


@pytest.mark.parametrize("presence", [False, True])
def test_matrix_by_participant(built: Built, presence: bool) -> None:
    with built.project.session() as s:
        frame = matrix_table(s, cols="participant", presence=presence)
    assert list(frame.columns) == ["P1", "P2", "P3", "P4"]
    assert list(frame.index) == [path(built, c) for c in built.codes]
    for code in built.codes:
        for person in built.participants:
            hits = [c for c in built.codings if c[1] == code and built.owner[c[0]] == person]
            want = (1 if hits else 0) if presence else len(hits)
            assert frame.loc[path(built, code), person] == want, (code, person)


@pytest.mark.parametrize("presence", [False, True])
def test_matrix_by_attribute(built: Built, presence: bool) -> None:
    with built.project.session() as s:
        frame = matrix_table(s, cols="state", presence=presence)
    assert list(frame.columns) == ["Ohio", "Texas", "(no value)"]
    for code in built.codes:
        for state in frame.columns:
            hits = [
                c
                for c in built.codings
                if c[1] == code
                and built.owner[c[0]] is not None
                and built.state.get(str(built.owner[c[0]]), "(no value)") == state
            ]
            want = len({built.owner[c[0]] for c in hits}) if presence else len(hits)
            assert frame.loc[path(built, code), state] == want, (code, state)


def test_matrix_for_one_coder_by_number_attribute(built: Built) -> None:
    with built.project.session() as s:
        frame = matrix_table(s, cols="years", coder="bob")
    assert list(frame.columns) == ["5", "12"]
    assert frame.loc["Caseload/Volume/Backlog", "5"] == 3  # d1 (P1) and two in d5 (P1)
    assert frame.loc["Triage", "12"] == 1  # d2 (P2)
    assert int(frame.to_numpy().sum()) == sum(
        1 for c in built.codings if c[2] == "bob" and built.owner[c[0]]
    )


Pairs = dict[tuple[str, str], tuple[int, int]]


def naive_cooccurrence_overlap(b: Built, codings: list[Coding]) -> Pairs:
    counts: dict[tuple[str, str], int] = {}
    docs: dict[tuple[str, str], set[str]] = {}
    for x, y in combinations(codings, 2):
        same_place = x[0] == y[0] and x[2] == y[2] and x[1] != y[1]
        if same_place and x[3] < y[4] and y[3] < x[4]:
            p, q = sorted((path(b, x[1]), path(b, y[1])))
            counts[(p, q)] = counts.get((p, q), 0) + 1
            docs.setdefault((p, q), set()).add(x[0])
    return {k: (n, len(docs[k])) for k, n in counts.items()}


def naive_cooccurrence_units(
    b: Built, codings: list[Coding], units: dict[str, list[tuple[int, int]]]
) -> Pairs:
    counts: dict[tuple[str, str], int] = {}
    docs: dict[tuple[str, str], set[str]] = {}
    for doc, spans in units.items():
        for start, end in spans:
            pairs: set[tuple[str, str]] = set()
            for coder in ("ann", "bob"):
                inside = {
                    path(b, c[1])
                    for c in codings
                    if c[0] == doc and c[2] == coder and c[3] < end and start < c[4]
                }
                pairs |= {(p, q) for p in inside for q in inside if p < q}
            for key in pairs:
                counts[key] = counts.get(key, 0) + 1
                docs.setdefault(key, set()).add(doc)
    return {k: (n, len(docs[k])) for k, n in counts.items()}


def table_pairs(frame: pd.DataFrame) -> Pairs:
    return {
        (str(r["code_a"]), str(r["code_b"])): (int(r["count"]), int(r["documents"]))
        for r in to_records(frame)
    }


def test_cooccurrence_by_overlap(built: Built) -> None:
    with built.project.session() as s:
        frame = cooccurrence_table(s, unit="overlap")
    expected = naive_cooccurrence_overlap(built, built.codings)
    assert table_pairs(frame) == expected
    # ann's Caseload "We are slow." lies inside both of ann's Volume codings in d1
    assert expected[("Caseload", "Caseload/Volume")][0] == 2
    counts = list(frame["count"])
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("unit", ["sentence", "turn"])
def test_cooccurrence_by_stored_units(built: Built, unit: str) -> None:
    with built.project.session() as s:
        frame = cooccurrence_table(s, unit=unit)
    units = built.sentences if unit == "sentence" else built.turns
    assert table_pairs(frame) == naive_cooccurrence_units(built, built.codings, units)
    assert len(frame) > 0


def test_cooccurrence_by_document(built: Built) -> None:
    with built.project.session() as s:
        frame = cooccurrence_table(s, unit="document")
    whole = {d: [(0, len(t))] for d, t in built.texts.items()}
    assert table_pairs(frame) == naive_cooccurrence_units(built, built.codings, whole)


def test_cooccurrence_unknown_unit(built: Built) -> None:
    with built.project.session() as s, pytest.raises(QualcodeError, match="unknown unit"):
        cooccurrence_table(s, unit="page")


def test_summary_hand_computed(built: Built) -> None:
    with built.project.session() as s:
        records = to_records(summary_table(s, "csam_share_pct"))
    assert len(records) == 1
    row = records[0]
    assert row["group"] == OVERALL
    # values 10, 40, 100; P4 has none
    assert row["n"] == 3 and row["missing"] == 1
    assert row["mean"] == pytest.approx(50.0)
    assert row["sd"] == pytest.approx(math.sqrt((40**2 + 10**2 + 50**2) / 2))  # 45.83
    assert row["median"] == 40.0
    assert (row["min"], row["max"]) == (10.0, 100.0)
    assert row["q1"] == pytest.approx(25.0)  # type 7: 10 + 0.5 * (40 - 10)
    assert row["q3"] == pytest.approx(70.0)  # 40 + 0.5 * (100 - 40)


def test_summary_by_group(built: Built) -> None:
    with built.project.session() as s:
        records = to_records(summary_table(s, "csam_share_pct", by="state"))
    groups = {r["group"]: r for r in records}
    assert list(groups) == [OVERALL, "Ohio", "Texas", "(no value)"]
    ohio = groups["Ohio"]
    assert (ohio["n"], ohio["missing"], ohio["mean"], ohio["median"]) == (2, 0, 25.0, 25.0)
    assert ohio["sd"] == pytest.approx(math.sqrt(15**2 + 15**2))  # 21.21
    assert (ohio["q1"], ohio["q3"]) == (pytest.approx(17.5), pytest.approx(32.5))
    texas = groups["Texas"]
    assert (texas["n"], texas["mean"], texas["sd"]) == (1, 100.0, None)
    nobody = groups["(no value)"]
    assert (nobody["n"], nobody["missing"], nobody["mean"]) == (0, 1, None)


def test_summary_without_the_attribute_counts_everyone_missing(built: Built) -> None:
    with built.project.session() as s:
        row = to_records(summary_table(s, attribute="no_such_number"))[0]
    assert (row["n"], row["missing"], row["mean"]) == (0, 4, None)


def test_summary_of_a_text_attribute_is_an_error(built: Built) -> None:
    with built.project.session() as s, pytest.raises(QualcodeError, match="not a number"):
        summary_table(s, attribute="state")


@pytest.mark.parametrize("unit", ["sentence", "turn", "paragraph"])
def test_units_are_cut_on_the_fly_without_stored_segments(built: Built, unit: str) -> None:
    from sqlalchemy import delete

    from qualcode.store import Segment

    with built.project.write() as s:
        s.execute(delete(Segment))
    with built.project.session() as s:
        frame = cooccurrence_table(s, unit=unit)
    # one turn per line here, so paragraphs and turns are the same units
    units = built.sentences if unit == "sentence" else built.turns
    assert table_pairs(frame) == naive_cooccurrence_units(built, built.codings, units)
