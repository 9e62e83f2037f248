"""Whose codings the counts count: the consensus coder's codings are never added to the
coders' own. Counts are from the hand-built project (tests/analysis/conftest.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from qualcode.analysis.coders import counted_coders
from qualcode.analysis.tables import frequency_table, frequency_tables, matrix_table, to_records
from qualcode.store.models import Code, Coder, Coding, Document

from .test_analysis_cli import run_json

if TYPE_CHECKING:
    from conftest import Built


def own(rows: list[dict[str, Any]], group: str | None = None) -> dict[str, int]:
    """Own codings per code, by the code's name (the last part of its path)."""
    return {
        r["code"].rsplit("/", 1)[-1]: r["codings"]
        for r in rows
        if not r["rolled_up"] and (group is None or r["group"] == group)
    }


def add_consensus(built: Built) -> None:
    """consensus codes d2 "Pleas end most cases." with Triage and d1 "The lab is far behind."
    with Backlog."""
    with built.project.write() as s:
        coder = Coder(name="consensus")
        s.add(coder)
        s.flush()
        for doc, code, phrase in (
            ("d2", "Triage", "Pleas end most cases."),
            ("d1", "Backlog", "The lab is far behind."),
        ):
            doc_row = s.query(Document).filter_by(name=doc).one()
            code_row = s.query(Code).filter_by(name=code).one()
            start = built.texts[doc].index(phrase)
            s.add(
                Coding(
                    document_id=doc_row.id,
                    code_id=code_row.id,
                    coder_id=coder.id,
                    start=start,
                    end=start + len(phrase),
                )
            )


def test_without_consensus_every_coder_is_counted_with_a_breakdown(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    # Triage by hand: ann "Phones take" (d1), "Pleas end most cases." (d2), "this one. It"
    # (d4); bob "Pleas end most cases. Trials are rare." (d2): 3 + 1 = 4
    data = run_json(capsys, built, "frequencies")
    assert (data["coders"], data["consensus"]) == (["ann", "bob"], False)
    assert own(data["rows"])["Triage"] == 4
    assert own(data["by_coder"], "ann")["Triage"] == 3
    assert own(data["by_coder"], "bob")["Triage"] == 1
    matrix = run_json(capsys, built, "matrix")
    assert matrix["coders"] == ["ann", "bob"]
    rows = {r["code"]: r["values"] for r in matrix["data"]}
    assert rows["Triage"] == [1, 2, 0, 0]  # P1: ann d1; P2: ann and bob d2; d4 has no one
    ann = {r["code"]: r["values"] for r in matrix["by_coder"]["ann"]}
    assert ann["Triage"] == [1, 1, 0, 0]


def test_with_consensus_only_its_codings_are_counted(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    add_consensus(built)
    data = run_json(capsys, built, "frequencies")
    assert (data["coders"], data["consensus"], data["by_coder"]) == (["consensus"], True, None)
    counts = own(data["rows"])
    assert (counts["Triage"], counts["Backlog"], counts["Volume"]) == (1, 1, 0)
    assert sum(counts.values()) == 2
    words = {r["code"].rsplit("/", 1)[-1]: r["words"] for r in data["rows"] if not r["rolled_up"]}
    assert words["Triage"] == 4  # Pleas end most cases
    matrix = run_json(capsys, built, "matrix")
    assert (matrix["coders"], matrix["by_coder"]) == (["consensus"], None)
    rows = {r["code"].rsplit("/", 1)[-1]: r["values"] for r in matrix["data"]}
    assert (rows["Triage"], rows["Backlog"]) == ([0, 1, 0, 0], [1, 0, 0, 0])
    assert run_json(capsys, built, "cooccurrence")["coders"] == ["consensus"]
    # grouped by coder, every coder apart: nobody's codings are added to another's
    grouped = run_json(capsys, built, "frequencies", "--by", "coder")
    assert grouped["coders"] == ["ann", "bob", "consensus"]
    assert [own(grouped["rows"], c)["Triage"] for c in ("ann", "bob", "consensus")] == [3, 1, 1]
    # one coder named: that coder's alone
    assert own(run_json(capsys, built, "frequencies", "--coder", "ann")["rows"])["Triage"] == 3


def test_the_dashboards_tables_follow_the_rule(built: Built) -> None:
    """The dashboard and the exports call the same tables with no coder."""
    add_consensus(built)
    with built.project.session() as s:
        assert counted_coders(s).coders == ("consensus",)
        assert own(to_records(frequency_table(s)))["Triage"] == 1
        assert int(matrix_table(s).loc["Triage"].sum()) == 1


def test_one_read_for_every_grouping_keeps_the_rule(built: Built) -> None:
    """Frequencies overall and by coder from one read (as the exports ask for them): the
    codings are read once when both count the same, apart when consensus stands in."""
    with built.project.session() as s:
        overall, by_coder = frequency_tables(s, [None, "coder"])
        assert own(to_records(overall))["Triage"] == 4
        assert [own(to_records(by_coder), c)["Triage"] for c in ("ann", "bob")] == [3, 1]
    add_consensus(built)
    with built.project.session() as s:
        overall, by_coder = frequency_tables(s, [None, "coder"])
        assert own(to_records(overall))["Triage"] == 1
        grouped = to_records(by_coder)
        assert [own(grouped, c)["Triage"] for c in ("ann", "bob", "consensus")] == [3, 1, 1]
        by_coder, overall = frequency_tables(s, ["coder", None])  # the other order too
        assert own(to_records(overall))["Triage"] == 1
        assert own(to_records(by_coder), "ann")["Triage"] == 3
