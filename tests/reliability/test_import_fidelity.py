"""An import never changes what a transcript says without a word (issue 19, item 9): mixed
encodings, docx tables, DTD entities in a docx and impossible caption times."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from ..run_cli import cli


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    return path


def documents(proj: str) -> dict[str, str]:
    with sqlite3.connect(proj) as conn:
        return dict(
            conn.execute(
                "select d.name, t.text from documents d"
                " join document_texts t on t.document_id = d.id"
            )
        )


def refused(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    return " ".join(err.split())


# -- encodings ----------------------------------------------------------------------------------
def test_a_file_mixing_utf8_and_cp1252_is_refused_naming_the_lines(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Interviewer: Où étiez-vous?\n".encode()
        + b"P01: At home.\n"
        + "P01: Caf\u00e9 first, then the office.\n".encode("cp1252")
    )
    flat = refused(cli(capsys, "--project", proj, "import", str(path)))
    assert "mixed.txt" in flat and "line 1 is UTF-8" in flat and "line 3 is not" in flat
    assert documents(proj) == {}


def test_a_file_all_in_cp1252_is_still_read_as_cp1252(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Interviewer: Où étiez-vous?\nP01: Caf\u00e9 first \u2013 then \u201cwork\u201d.\n"
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode("cp1252"))
    code, out, err = cli(capsys, "--project", proj, "import", str(path))
    assert code == 0, out + err
    assert documents(proj) == {"old.txt": text}


def test_an_attributes_csv_mixing_encodings_is_refused(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("participant,state\nP1,Québec\n".encode() + "P2,Zürich\n".encode("cp1252"))
    flat = refused(cli(capsys, "--project", proj, "attributes", "import", str(path)))
    assert "people.csv" in flat and "line 3 is not" in flat


# -- docx ---------------------------------------------------------------------------------------
def _docx_with_table(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Interviewer: Before the table.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "P01"
    table.cell(0, 1).text = "Inside the table."
    table.cell(1, 0).text = "P02"
    inner = table.cell(1, 1)
    inner.text = "First line of a cell."
    inner.add_paragraph("Second line of a cell.")
    inner.add_table(rows=1, cols=1).cell(0, 0).text = "A nested table."
    doc.add_paragraph("Interviewer: After the table.")
    doc.save(str(path))


def test_docx_tables_are_read_in_document_order(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "table.docx"
    _docx_with_table(path)
    code, out, err = cli(capsys, "--project", proj, "import", str(path))
    assert code == 0, out + err
    assert documents(proj)["table.docx"] == (
        "Interviewer: Before the table.\n"
        "P01\tInside the table.\n"
        "P02\tFirst line of a cell.\nSecond line of a cell.\nA nested table.\n"
        "Interviewer: After the table.\n"
    )


def _with_dtd(path: Path, target: Path) -> None:
    """The same .docx with a DTD in word/document.xml and a paragraph made of an entity."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                head, sep, body = data.partition(b"?>")
                dtd = b'<!DOCTYPE w:document [<!ENTITY said "What the witness said.">]>'
                data = head + sep + dtd + body.replace(b"Before the table.", b"&said;")
            dst.writestr(item, data)


def test_a_docx_with_a_dtd_is_refused_not_emptied(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain.docx"
    _docx_with_table(plain)
    hostile = tmp_path / "entity.docx"
    _with_dtd(plain, hostile)
    flat = refused(cli(capsys, "--project", proj, "import", str(hostile)))
    assert "entity.docx" in flat and "DTD" in flat
    assert documents(proj) == {}


# -- caption times ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "timing", "said"),
    [
        ("late.srt", "00:00:99,000 --> 00:01:40,000", "no time"),
        ("minutes.vtt", "00:75:01.000 --> 00:75:02.000", "no time"),
        ("backwards.srt", "00:00:05,000 --> 00:00:02,000", "ends before it starts"),
    ],
)
def test_an_impossible_caption_time_is_refused_naming_the_cue(
    name: str, timing: str, said: str, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    head = "WEBVTT\n\n" if name.endswith(".vtt") else ""
    first = "00:00:01,000 --> 00:00:02,000".replace(",", "." if head else ",")
    path.write_text(f"{head}1\n{first}\nAna: Hello.\n\n2\n{timing}\nBen: Hi.\n", "utf-8")
    flat = refused(cli(capsys, "--project", proj, "import", str(path)))
    assert name in flat and "cue 2" in flat and timing in flat and said in flat
    assert documents(proj) == {}


def test_possible_caption_times_are_kept(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.srt"
    path.write_text("1\n01:59:59,000 --> 01:59:59,999\nAna: Hello.\n", "utf-8")
    code, out, err = cli(capsys, "--project", proj, "import", str(path))
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", proj, "segments", "ok", "--unit", "turn", "--json")
    assert code == 0 and json.loads(out)[0]["text"].endswith("Hello.")
    with sqlite3.connect(proj) as conn:
        times = conn.execute("select time_start, time_end from segments where kind = 'cue'")
        assert list(times) == [(7199.0, 7199.999)]
