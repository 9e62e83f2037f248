"""Words are counted the same way on any text: a text of ASCII characters only (counted with
an ASCII pattern, faster) gives what the Unicode pattern gives."""

from __future__ import annotations

import random

from qualcode.analysis.spans import WORD, count_words, words_covered


def test_ascii_texts_count_as_the_unicode_pattern_does() -> None:
    rng = random.Random(7)
    for alphabet in ("ab_1 -'.\n", "ab c’-é'\n👩"):
        for _ in range(3_000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
            assert count_words(text) == len(WORD.findall(text)), repr(text)


def test_words_of_a_union_of_spans() -> None:
    text = "don't stop-gap  we’re fine, 42 times_two -x- 'quoted'"
    assert count_words(text) == 8
    # overlapping spans count a word once; a word cut by an edge counts as its part inside
    assert words_covered(text, [(0, 10), (6, 14)]) == count_words(text[0:14]) == 2
    assert words_covered(text, [(2, 4)]) == 1  # "n'" of "don't": one word
    assert words_covered(text, [(3, 4)]) == 0  # the apostrophe alone
