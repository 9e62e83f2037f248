"""Selection positions: code points, UTF-16 code units, CRLF, and choosing between them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.interop.refi.offsets import (
    NVIVO,
    STANDARD,
    Counting,
    Selection,
    SourceText,
    choose_counting,
    counting_for_origin,
    on_boundary,
)

RAW = "\ufeffHi 😀 there\r\nNext 👍🏽 line\r\nend"


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_text_is_normalised_and_positions_map_to_it() -> None:
    src = SourceText(RAW)
    assert src.text == "Hi 😀 there\nNext 👍🏽 line\nend"
    raw = RAW.removeprefix("\ufeff")
    # "line" in the file: count its start in UTF-16 units with CRLF, as NVivo does.
    start16 = utf16_units(raw[: raw.index("line")])
    end16 = start16 + 4
    a, b = src.to_text(start16, NVIVO), src.to_text(end16, NVIVO, end=True)
    assert src.text[a:b] == "line"
    assert (src.from_text(a, NVIVO), src.from_text(b, NVIVO)) == (start16, end16)
    # The standard: code points in the file as it is (CRLF counted as two).
    cp = raw.index("line")
    assert src.text[src.to_text(cp, STANDARD) :].startswith("line")
    assert src.units(NVIVO) == utf16_units(raw)
    assert src.units(STANDARD) == len(raw)


def test_a_position_inside_a_surrogate_pair_rounds_outwards() -> None:
    src = SourceText("a😀b")
    assert src.to_text(2, Counting(utf16=True, crlf=False)) == 1  # a start rounds down
    assert src.to_text(2, Counting(utf16=True, crlf=False), end=True) == 2  # an end rounds up


def test_a_position_between_cr_and_lf_is_the_line_end() -> None:
    src = SourceText("ab\r\ncd")
    assert src.to_text(2, STANDARD) == 2
    assert src.to_text(3, STANDARD) == 2
    assert src.to_text(4, STANDARD) == 3


def test_control_characters_become_spaces_one_for_one() -> None:
    src = SourceText("a\x0bb\x07c")
    assert src.text == "a b c"
    assert src.controls == 2


@given(
    st.lists(
        st.sampled_from(["a", "é", " ", "😀", "👍🏽", "\r\n", "\n", "z", "字", "\U0001f9d1"]),
        max_size=40,
    )
)
def test_positions_round_trip_in_every_counting(parts: list[str]) -> None:
    src = SourceText("".join(parts))
    for counting in (STANDARD, NVIVO, Counting(False, False), Counting(True, False)):
        for offset in range(len(src.text) + 1):
            units = src.from_text(offset, counting)
            assert 0 <= units <= src.units(counting)
            assert src.to_text(units, counting) == offset
            assert src.to_text(units, counting, end=True) == offset


def test_origin_decides_the_counting_and_the_fit_can_overrule_it() -> None:
    assert counting_for_origin("NVivo for Windows 12.6") == NVIVO
    assert counting_for_origin("ATLAS.ti 8.4") == STANDARD
    raw = "😀😀 start here 🎉 and then 🎉 words follow 🎉 until the end of it"
    src = SourceText(raw)
    words = ["start", "here", "then", "words", "follow", "until", "end"]
    sels = []
    for w in words:
        i = raw.index(w)
        sels.append(Selection(utf16_units(raw[:i]), utf16_units(raw[: i + len(w)])))
    chosen, fit = choose_counting(src, sels, preferred=STANDARD)
    assert chosen == NVIVO
    assert fit.edges_ok == fit.edges == 2 * len(words)
    # Code points fit as well when there is nothing outside the BMP: the origin's choice stands.
    plain = SourceText("no emoji here at all")
    assert choose_counting(plain, [Selection(3, 8)], preferred=STANDARD)[0] == STANDARD


def test_word_boundaries() -> None:
    assert on_boundary("ab cd", 0) and on_boundary("ab cd", 2) and on_boundary("ab cd", 5)
    assert not on_boundary("ab cd", 1)
