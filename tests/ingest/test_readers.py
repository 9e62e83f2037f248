"""Reading transcript files: encodings, line endings, caption files, Word files, bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from qualcode.ingest import BadInput, read_transcript

TEXT = "Interviewer: Café au lait?\r\n\r\nP01: Oui — “naturally”.\r\n"
EXPECTED = "Interviewer: Café au lait?\n\nP01: Oui — “naturally”.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected_and_line_endings_normalised(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    raw = read_transcript(path)
    assert raw.text == EXPECTED
    assert raw.encoding == encoding


def test_lone_carriage_returns_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Q: one\rA: two\r")
    assert read_transcript(path).text == "Q: one\nA: two\n"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t\n", "empty transcript"),
        ("nul.txt", b"abc\x00def", "binary"),
        ("ctrl.txt", b"abc\x01\x02def", "binary"),
        ("undecodable.txt", b"caf\x81\x8d\x8f", "undecodable"),
        ("bad16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),
        ("file.pdf", b"%PDF-1.4", "unsupported file type"),
        ("broken.docx", b"not a zip", "not a valid .docx"),
        ("nocue.vtt", b"WEBVTT\n\nhello there\n", "caption block without timing"),
        ("nohead.vtt", b"00:00:01.000 --> 00:00:02.000\nhi\n", "no WEBVTT header"),
    ],
)
def test_bad_files_get_a_one_line_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadInput, match=reason) as info:
        read_transcript(path)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="missing"):
        read_transcript(tmp_path / "gone.txt")


VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.500
<v Interviewer>How big is your caseload?</v>

2
00:00:04.600 --> 00:00:07.000
<v Dana Reyes>Too big.</v>

3
00:00:07.100 --> 00:00:09.250
<v Dana Reyes>We lost two attorneys.</v>
"""

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Interviewer: Thanks for joining.

2
00:00:03.500 --> 00:00:06.000
P07: Happy to.
"""

SRT = """1
00:00:01,000 --> 00:00:04,500
Interviewer: And the lab?

2
00:00:04,600 --> 00:00:07,000
P03: Eleven months on phones.
"""


def test_vtt_voice_tags_become_turns_with_cue_times(tmp_path: Path) -> None:
    path = tmp_path / "teams.vtt"
    path.write_text(VTT, encoding="utf-8")
    raw = read_transcript(path)
    assert raw.text == (
        "Interviewer: How big is your caseload?\n\nDana Reyes: Too big. We lost two attorneys.\n"
    )
    cues = [(raw.text[c.start : c.end], c.time_start, c.time_end, c.speaker) for c in raw.cues]
    assert cues == [
        ("How big is your caseload?", 1.0, 4.5, "Interviewer"),
        ("Too big.", 4.6, 7.0, "Dana Reyes"),
        ("We lost two attorneys.", 7.1, 9.25, "Dana Reyes"),
    ]


def test_zoom_vtt_and_srt_speaker_labels(tmp_path: Path) -> None:
    (tmp_path / "zoom.vtt").write_text(ZOOM_VTT, encoding="utf-8")
    (tmp_path / "otter.srt").write_text(SRT, encoding="utf-8")
    zoom = read_transcript(tmp_path / "zoom.vtt")
    srt = read_transcript(tmp_path / "otter.srt")
    assert zoom.text == "Interviewer: Thanks for joining.\n\nP07: Happy to.\n"
    assert srt.text == "Interviewer: And the lab?\n\nP03: Eleven months on phones.\n"
    assert [c.time_start for c in srt.cues] == [1.0, 4.6]


def test_docx_paragraphs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How many open files?")
    document.add_paragraph("P02: Forty-three. Don't quote me.")
    document.save(str(tmp_path / "t.docx"))
    raw = read_transcript(tmp_path / "t.docx")
    assert raw.text == "Interviewer: How many open files?\nP02: Forty-three. Don't quote me.\n"
    assert raw.format == "docx"


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    with pytest.raises(BadInput, match="zip bomb"):
        read_transcript(path)
