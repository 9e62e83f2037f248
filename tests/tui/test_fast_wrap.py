"""The transcript's fast wrapping finds exactly the breaks Textual's own wrapping finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual._wrap import compute_wrap_offsets
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from qualcode.tui.widgets.fast_wrap import ascii_wrap_offsets, wrap_document

ascii_lines = st.text(alphabet="ab c.,-xyz   ", max_size=300)


@settings(max_examples=400, deadline=None)
@given(ascii_lines, st.integers(1, 60))
def test_ascii_breaks_equal_textuals(line: str, width: int) -> None:
    assert ascii_wrap_offsets(line, width) == compute_wrap_offsets(line, width, 4)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(ascii_lines, st.text(alphabet="a b\tü漢 é", max_size=80)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([0, 1, 3, 17, 80]),
)
def test_a_wrapped_document_is_stored_as_textual_stores_it(lines: list[str], width: int) -> None:
    """Lines with tabs or wide characters go Textual's way; every table matches."""
    document = Document("\n".join(lines))
    theirs = WrappedDocument(document, tab_width=4)
    ours = WrappedDocument(document, tab_width=4)
    theirs.wrap(width, 4)
    wrap_document(ours, width, 4)
    assert ours._wrap_offsets == theirs._wrap_offsets
    assert ours._offset_to_line_info == theirs._offset_to_line_info
    assert ours._line_index_to_offsets == theirs._line_index_to_offsets
    assert ours._tab_width_cache == theirs._tab_width_cache
    assert ours.height == theirs.height
