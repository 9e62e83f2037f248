"""Speaker turns, paragraphs and sentences."""

from __future__ import annotations

from qualcode.ingest.readers import RawTranscript
from qualcode.ingest.segment import with_sentences
from qualcode.nlp.turn_finder import TurnRules, find_turns


def speakers(text: str, rules: TurnRules | None = None) -> list[tuple[str, str]]:
    return [(t.speaker, text[t.body_start : t.end]) for t in find_turns(text, rules)]


def test_inline_labels() -> None:
    text = (
        "Q: How long?\nA: Nine years.\n\nInterviewer: And?\n\nP07: Tired.\nMaria Lopez: Me too.\n"
    )
    assert speakers(text) == [
        ("Q", "How long?"),
        ("A", "Nine years."),
        ("Interviewer", "And?"),
        ("P07", "Tired."),
        ("Maria Lopez", "Me too."),
    ]


def test_a_name_alone_on_its_line_starts_a_turn() -> None:
    text = (
        "Interviewer 00:00:03\nSo tell me about the lab.\n\n"
        "Dana Reyes 00:00:09\nEleven months. On phones.\nIt is bad.\n\n"
        "Interviewer 00:01:12\nWhy?\n\n"
        "Dana Reyes 00:01:15\nStaffing.\n"
    )
    assert speakers(text) == [
        ("Interviewer", "So tell me about the lab."),
        ("Dana Reyes", "Eleven months. On phones.\nIt is bad."),
        ("Interviewer", "Why?"),
        ("Dana Reyes", "Staffing."),
    ]


def test_ordinary_short_lines_are_not_speakers() -> None:
    text = "Okay.\nThat was the first thing.\n\nRight\nAnd then more.\n"
    assert speakers(text) == []


def test_text_before_the_first_label_belongs_to_no_turn() -> None:
    text = "[FICTIONAL TRANSCRIPT.]\n[Interview P01 | Ohio]\n\nInterviewer: Hi.\n\nP01: Hello.\n"
    turns = find_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "P01"]
    assert turns[0].start == text.index("Interviewer")


def test_configured_labels_and_no_names() -> None:
    text = "DET. SMITH: We seized four phones.\nSmith Jones: ok then\n"
    rules = TurnRules(extra=[r"DET\. [A-Z]+"], allow_names=False)
    assert speakers(text, rules) == [("DET. SMITH", "We seized four phones.\nSmith Jones: ok then")]


def test_segments_have_offsets_inside_their_turns() -> None:
    text = "[Header line.]\n\nInterviewer: Hi. How are you?\n\nP01: Fine. Busy.\nVery busy.\n"
    ((rows, _ctx),) = list(with_sentences([(RawTranscript(text=text, format="txt"), None)]))
    got = [(r.kind, r.speaker, text[r.start : r.end]) for r in rows]
    assert ("sentence", "P01", "Very busy.") in got
    assert ("turn", "P01", "P01: Fine. Busy.\nVery busy.") in got
    assert ("paragraph", None, "[Header line.]") in got
    sentences = [g for g in got if g[0] == "sentence"]
    assert [s[2] for s in sentences] == [
        "[Header line.]",
        "Hi.",
        "How are you?",
        "Fine.",
        "Busy.",
        "Very busy.",
    ]
    turns = [r for r in rows if r.kind == "turn"]
    for r in rows:
        if r.kind == "sentence" and r.speaker:
            assert any(t.start <= r.start and r.end <= t.end for t in turns)


def test_rev_style_labels_with_a_timestamp_before_the_colon() -> None:
    inline = "Interviewer (00:00:03): So, the lab?\n\nDana Reyes (00:00:09): Eleven months.\n"
    assert speakers(inline) == [("Interviewer", "So, the lab?"), ("Dana Reyes", "Eleven months.")]
    own_line = (
        "Interviewer (00:00:03):\nSo, the lab?\n\nDana Reyes (00:00:09):\nEleven months.\n\n"
        "Interviewer (00:01:12):\nWhy?\n\nDana Reyes (00:01:15):\nStaffing.\n"
    )
    assert speakers(own_line) == [
        ("Interviewer", "So, the lab?"),
        ("Dana Reyes", "Eleven months."),
        ("Interviewer", "Why?"),
        ("Dana Reyes", "Staffing."),
    ]


def test_names_with_an_accented_capital() -> None:
    text = "Ángela Núñez: Sí.\n\nÉmile Zola: Oui.\n\nÖzil: Ja.\n\nángela: not a label\n"
    assert speakers(text) == [
        ("Ángela Núñez", "Sí."),
        ("Émile Zola", "Oui."),
        ("Özil", "Ja.\n\nángela: not a label"),
    ]


def test_full_width_colons() -> None:
    text = "采访者：您好。\n\n王小明：你好。我很好。\n\nインタビュアー：はい。\n"
    assert speakers(text) == [
        ("采访者", "您好。"),
        ("王小明", "你好。我很好。"),
        ("インタビュアー", "はい。"),
    ]
    # --turn-label takes the full-width colon too (here with names switched off)
    custom = "記録係：始めます。\n王小明：你好。\n"
    assert speakers(custom, TurnRules(extra=["記録係"], allow_names=False)) == [
        ("記録係", "始めます。\n王小明：你好。")
    ]
    assert speakers(custom, TurnRules(allow_names=False)) == []
