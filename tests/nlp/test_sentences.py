"""Sentences in transcripts: annotations, ¿/¡, abbreviations, Chinese and Japanese ends.

Each expected list is the hand-cut sentences of the text.
"""

from __future__ import annotations

import pytest

from qualcode.demo import CORPUS
from qualcode.ingest.readers import read_transcript
from qualcode.ingest.segment import with_sentences
from qualcode.nlp.sentences import sentence_spans


def sentences(text: str) -> list[str]:
    [(spans, _)] = list(sentence_spans([(text, None)]))
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It's three of us. [laughs] That's the honest definition.",
            ["It's three of us. [laughs]", "That's the honest definition."],
        ),
        (
            "He was (inaudible) and then. (inaudible) Then yes. [crosstalk] No [inaudible.] ok.",
            [
                "He was (inaudible) and then. (inaudible)",
                "Then yes. [crosstalk]",
                "No [inaudible.] ok.",
            ],
        ),
        ("Yes. [Pause. Long.] Okay.", ["Yes. [Pause. Long.]", "Okay."]),
        ("[NOTE. Written for a test. The end.]", ["[NOTE. Written for a test. The end.]"]),
        ("So [laughs] yes.", ["So [laughs] yes."]),
    ],
)
def test_annotations_are_inside_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_inverted_marks_open_their_sentence() -> None:
    assert sentences("¿Qué pasa? ¡Hola amigo! Bien.") == ["¿Qué pasa?", "¡Hola amigo!", "Bien."]


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    text = (
        "I saw Dr. Smith and Mr. Jones in the U.S. last year. It was e.g. fine at 2.5 percent. "
        "Approx. ten cases. Mrs. Lee and Prof. Ng agreed."
    )
    assert sentences(text) == [
        "I saw Dr. Smith and Mr. Jones in the U.S. last year.",
        "It was e.g. fine at 2.5 percent.",
        "Approx. ten cases.",
        "Mrs. Lee and Prof. Ng agreed.",
    ]


def test_chinese_and_japanese_sentences_end_at_full_width_marks() -> None:
    assert sentences("我很好。你呢？我不知道！好的") == ["我很好。", "你呢？", "我不知道！", "好的"]
    assert sentences("今日は雨です。明日は晴れ？ はい。") == [
        "今日は雨です。",
        "明日は晴れ？",
        "はい。",
    ]


def test_no_demo_sentence_ends_in_a_bracket_or_starts_inside_one() -> None:
    """The demo has 68 "[laughs]"; before the rules, 67 sentences ended in "[" and the next
    one started with "laughs]"."""
    files = sorted(CORPUS.glob("P*.txt"))
    items = [(read_transcript(f), f.name) for f in files]
    broken = []
    laughs = 0
    for rows, name in with_sentences(items):
        text = next(raw.text for raw, n in items if n == name)
        for r in rows:
            if r.kind != "sentence":
                continue
            piece = text[r.start : r.end]
            laughs += piece.count("[laughs]")
            if piece.endswith(("[", "(")) or piece.startswith(("laughs]", "pause]")):
                broken.append((name, piece))
    assert broken == []
    assert laughs == 68
