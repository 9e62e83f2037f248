"""Offsets to lines, the interval sweep, incremental restyling, and moves in the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.tui.widgets.line_spans import HighlightMap, LineIndex, displayable, row_runs, sweep
from qualcode.tui.widgets.navigation import TextNavigator, TurnStop, gaps, next_stop

TEXT = "ab\ncdef\n\nghi"


def test_line_index_round_trips_every_offset() -> None:
    index = LineIndex(TEXT)
    assert index.starts == [0, 3, 8, 9]
    assert [index.location(i) for i in (0, 2, 3, 7, 8, 9, 12)] == [
        (0, 0),
        (0, 2),
        (1, 0),
        (1, 4),
        (2, 0),
        (3, 0),
        (3, 3),
    ]
    for offset in range(len(TEXT) + 1):
        assert index.offset(*index.location(offset)) == offset
    assert index.line_span(1) == (3, 7)
    assert list(index.rows_between(1, 9)) == [0, 1, 2]


def test_a_trailing_newline_makes_an_empty_last_line() -> None:
    index = LineIndex("ab\n")
    assert index.rows == 2
    assert index.location(3) == (1, 0)


def test_displayable_keeps_offsets_but_only_newlines_break_lines() -> None:
    text = "a\u2028b\x0cc\r\nd"
    shown = displayable(text)
    assert len(shown) == len(text)
    assert shown.splitlines() == ["a b c ", "d"]


def test_sweep_marks_overlaps_with_every_tag() -> None:
    runs = sweep([(0, 5, 1), (3, 8, 2), (3, 4, 2)], 0, 10)
    assert runs == [(0, 3, (1,)), (3, 4, (1, 2, 2)), (4, 5, (1, 2)), (5, 8, (2,))]


def test_runs_are_cut_at_line_ends() -> None:
    index = LineIndex(TEXT)
    rows = row_runs(index, [(1, 10, 7)])
    assert rows == {0: [(1, 2, (7,))], 1: [(0, 4, (7,))], 3: [(0, 1, (7,))]}


def brute_force(
    text: str, intervals: dict[int, tuple[int, int, int]]
) -> list[list[tuple[int, ...]]]:
    """Per character of each line, the sorted tags covering it."""
    index = LineIndex(text)
    out = []
    for row in range(index.rows):
        start, end = index.line_span(row)
        out.append(
            [
                tuple(sorted(t for s, e, t in intervals.values() if s <= pos < e))
                for pos in range(start, end)
            ]
        )
    return out


def from_runs(text: str, hmap: HighlightMap) -> list[list[tuple[int, ...]]]:
    index = LineIndex(text)
    out = []
    for row in range(index.rows):
        start, end = index.line_span(row)
        cells: list[tuple[int, ...]] = [() for _ in range(end - start)]
        for a, b, tags in hmap.runs(row):
            for col in range(a, b):
                cells[col] = tags
        out.append(cells)
    return out


texts = st.text(alphabet="ab \n", min_size=1, max_size=40)


@st.composite
def texts_and_intervals(draw: st.DrawFn) -> tuple[str, list[dict[int, tuple[int, int, int]]]]:
    text = draw(texts)
    n = len(text)
    span = st.tuples(st.integers(0, n - 1), st.integers(1, n), st.integers(1, 4)).filter(
        lambda t: t[0] < t[1]
    )
    states = draw(
        st.lists(st.dictionaries(st.integers(1, 8), span, max_size=6), min_size=1, max_size=4)
    )
    return text, states


@settings(max_examples=150, deadline=None)
@given(texts_and_intervals())
def test_incremental_updates_equal_a_full_sweep(
    case: tuple[str, list[dict[int, tuple[int, int, int]]]],
) -> None:
    text, states = case
    hmap = HighlightMap(LineIndex(text))
    hmap.reset(states[0])
    assert from_runs(text, hmap) == brute_force(text, states[0])
    for state in states[1:]:
        before = from_runs(text, hmap)
        changed = hmap.update(state)
        after = from_runs(text, hmap)
        assert after == brute_force(text, state)
        # only the rows reported as changed may differ
        assert {r for r in range(len(after)) if after[r] != before[r]} <= changed


@settings(max_examples=150, deadline=None)
@given(texts_and_intervals())
def test_changes_given_as_a_delta_equal_a_full_sweep(
    case: tuple[str, list[dict[int, tuple[int, int, int]]]],
) -> None:
    """change(shown, gone) (what the coding screen gets from its writer) lands on the same runs
    as a full sweep of the resulting state, and reports every row that differs."""
    text, states = case
    hmap = HighlightMap(LineIndex(text))
    hmap.reset(states[0])
    current = dict(states[0])
    for state in states[1:]:
        shown = {k: v for k, v in state.items() if current.get(k) != v}
        gone = set(current) - set(state)
        before = from_runs(text, hmap)
        changed = hmap.change(shown, gone)
        current = dict(state)
        after = from_runs(text, hmap)
        assert hmap.intervals == state
        assert after == brute_force(text, state)
        assert {r for r in range(len(after)) if after[r] != before[r]} <= changed


NAV_TEXT = "Q: Why so slow? Tell me.\n\nP1: The lab. It is slow.\n\nQ: Thanks."


def navigator() -> TextNavigator:
    assert len(NAV_TEXT) == 62
    turns = [TurnStop(0, 3, 24, "Q"), TurnStop(26, 30, 50, "P1"), TurnStop(52, 55, 62, "Q")]
    sentences = [(3, 15), (16, 24), (30, 38), (39, 50), (55, 62)]
    return TextNavigator(NAV_TEXT, sentences, turns)


def test_sentence_span_and_extending_it() -> None:
    nav = navigator()
    assert nav.sentence_span(5, None) == (3, 15)
    assert nav.sentence_span(15, None) == (16, 24)  # between sentences: the next one
    assert nav.sentence_span(5, (3, 15)) == (3, 24)
    # the next sentence is in the next speaker's turn: it is selected alone, no label
    assert nav.sentence_span(20, (3, 24)) == (30, 38)
    assert nav.sentence_span(45, (30, 50)) == (55, 62)
    assert TextNavigator(NAV_TEXT, [(3, 15), (16, 24), (30, 38)]).sentence_span(20, (3, 24)) == (
        3,
        38,
    )  # without turns, sentences simply follow
    assert nav.sentence_span(60, (55, 62)) is None
    # a selection that is not whole sentences (a search match, a few words) grows to the
    # sentences it touches first, and only then by the next sentence
    assert nav.sentence_span(34, (34, 37)) == (30, 38)
    assert nav.sentence_span(36, (34, 42)) == (30, 50)
    assert nav.sentence_span(38, (30, 38)) == (30, 50)


def test_turn_span_leaves_out_the_label() -> None:
    nav = navigator()
    assert NAV_TEXT[slice(*nav.turn_span(27))] == "The lab. It is slow."


def test_speaker_filter_limits_sentences_turns_and_search() -> None:
    nav = navigator()
    assert nav.speakers == ["Q", "P1"]
    assert nav.cycle_speaker() == "Q"
    assert nav.sentence_starts == [3, 16, 55]
    assert nav.turn_starts == [3, 55]
    assert nav.turn_span(30) is None
    assert nav.dimmed() == [(24, 52)]
    assert nav.find("slow", 0) == ((10, 14), False)
    assert nav.find("slow", 10) == ((10, 14), True)  # the other "slow" is P1's: wraps
    assert nav.cycle_speaker() == "P1"
    assert nav.cycle_speaker() is None
    assert nav.find("SLOW", 10) == ((45, 49), False)
    assert nav.find("nothing", 0) == (None, False)


def test_gaps_and_stops() -> None:
    assert gaps([(2, 4), (3, 6), (8, 9)], 10) == [(0, 2), (6, 8), (9, 10)]
    assert gaps([], 3) == [(0, 3)]
    stops = [3, 16, 30]
    assert next_stop(stops, 3, 1) == 16
    assert next_stop(stops, 3, -1) is None
    assert next_stop(stops, 17, -1) == 16
    assert next_stop(stops, 30, 1) is None
