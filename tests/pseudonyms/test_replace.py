"""Replacing forms and moving offsets: a span of the replaced text holds exactly what the
original span held, with every form it touched replaced whole (property-tested)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.pseudonyms.replace import Replacer

FORMS = {
    "Detective Kim Oduya": "[Detective 1]",
    "Kim Oduya": "[Detective 1]",
    "Oduya": "[Detective 1]",
    "Maple County": "[County A]",
    "CR-2019-004512": "[Case 1]",
    "Ann": "[Person 12345]",
}
PIECES = [*FORMS, "the", "Kimberly", "report", "Oduyas", "maple county", "x", "é", "\n", "Ann."]
JOINS = ["", " ", "-"]


def expected(original: str, replacer: Replacer, start: int, end: int) -> str:
    """The original span widened to whole replaced forms, with the forms the whole text's
    matches found inside it replaced (matched on the whole text: a form cut by the span's edge
    is not a form)."""
    pattern = replacer.pattern
    assert pattern is not None
    matches = list(pattern.finditer(original))
    for m in matches:
        if m.start() < start < m.end() or (m.start() <= start < m.end() and end <= m.end()):
            start = m.start()
        if m.start() < end < m.end():
            end = m.end()
    out, at = [], start
    for m in matches:
        if start <= m.start() and m.end() <= end:
            out += [original[at : m.start()], replacer.by_form[m.group()]]
            at = m.end()
    return "".join([*out, original[at:end]])


def test_whole_words_only_longest_first_and_capitals() -> None:
    r = Replacer(FORMS)
    text = "Detective Kim Oduya met Kim Oduya; Oduyas and Kimberly stay. ODUYA too."
    assert r(text) == (
        "[Detective 1] met [Detective 1]; Oduyas and Kimberly stay. [Detective 1] too."
    )


def test_offsets_move_with_the_replacements() -> None:
    r = Replacer(FORMS)
    text = "In Maple County, Kim Oduya filed CR-2019-004512."
    out = r.replace(text)
    start, end = out.offsets.span(text.index("Kim"), text.index(" filed"))
    assert out.text[start:end] == "[Detective 1]"
    start, end = out.offsets.span(text.index("Oduya"), text.index("."))  # from inside a name
    assert out.text[start:end] == "[Detective 1] filed [Case 1]"
    start, end = out.offsets.span(text.index("aple"), text.index("aple") + 2)  # inside one
    assert out.text[start:end] == "[County A]"


@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
    join=st.sampled_from(JOINS),
    data=st.data(),
)
def test_each_moved_span_is_its_original_span_replaced(
    pieces: list[str], join: str, data: st.DataObject
) -> None:
    original = join.join(pieces)
    replacer = Replacer(FORMS)
    out = replacer.replace(original)
    start = data.draw(st.integers(0, len(original) - 1))
    end = data.draw(st.integers(start + 1, len(original)))
    new_start, new_end = out.offsets.span(start, end)
    assert 0 <= new_start < new_end <= len(out.text)
    assert out.text[new_start:new_end] == expected(original, replacer, start, end)
