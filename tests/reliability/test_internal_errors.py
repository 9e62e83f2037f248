"""Input that used to end in an internal error (exit 1, a Python exception's text) is refused in
one line with exit 2 and nothing written, and ``--skip-bad`` skips only the file at fault
(issue 19, item 18)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ..run_cli import cli


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    good = tmp_path / "good.txt"
    good.write_text("Interviewer: How long?\nP01: Six years. Maybe seven.\n", "utf-8")
    assert cli(capsys, "--project", path, "import", str(good))[0] == 0
    assert cli(capsys, "--project", path, "codes", "add", "A")[0] == 0
    return path


def rows(proj: str) -> dict[str, int]:
    """Every table's row count: what 'nothing written' is checked against."""
    with sqlite3.connect(proj) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


def refused(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    assert "internal error" not in err and "Traceback" not in err
    return " ".join(err.split())


# -- long texts ---------------------------------------------------------------------------------
def test_a_text_over_five_million_characters_is_imported_whole(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """spaCy refuses a text over its max_length; the sentences are cut in pieces instead."""
    paragraph = "P01: " + "It was a long day at the office. " * 30 + "\n\n"
    text = "Interviewer: Tell me.\n\n" + paragraph * (5_100_000 // len(paragraph) + 1)
    assert len(text) > 5_000_000
    big = tmp_path / "big.txt"
    big.write_text(text, "utf-8")
    code, out, err = cli(capsys, "--project", proj, "import", str(big), "--json")
    assert code == 0, out + err
    assert json.loads(out)["imported"] == ["big.txt"]
    with sqlite3.connect(proj) as conn:
        (stored,) = conn.execute(
            "select t.text from document_texts t join documents d on d.id = t.document_id "
            "where d.name = 'big.txt'"
        ).fetchone()
        sentences = conn.execute(
            "select s.start, s.end from segments s join documents d on d.id = s.document_id "
            "where d.name = 'big.txt' and s.kind = 'sentence' order by s.start"
        ).fetchall()
    assert stored == text
    # every sentence is one of the text's sentences, across the pieces too
    assert len(sentences) == 1 + text.count("It was a long day")
    assert {text[a:b] for a, b in sentences[1:]} == {"It was a long day at the office."}


# -- 5,000-digit numbers ------------------------------------------------------------------------
def test_a_five_thousand_digit_caption_hour_is_refused_and_skip_bad_skips_only_it(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.vtt"
    bad.write_text(f"WEBVTT\n\n{'9' * 5000}:00:01.000 --> 00:00:02.000\nhello\n", "utf-8")
    good = tmp_path / "fine.srt"
    good.write_text("1\n00:00:01,000 --> 00:00:02,500\nAna: Hello there.\n", "utf-8")
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, "import", str(bad)))
    assert "bad.vtt" in flat and "cue 1" in flat
    assert rows(proj) == before
    code, out, err = cli(capsys, "--project", proj, "import", str(bad), str(good), "--skip-bad")
    assert code == 0, out + err
    assert "skipped 1 file(s)" in out and "bad.vtt" in out
    code, out, err = cli(capsys, "--project", proj, "documents", "--json")
    assert {d["document"] for d in json.loads(out)} == {"good.txt", "fine.srt"}


def test_a_five_thousand_digit_number_in_a_codebook_is_refused(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(f"name: x\ncodes:\n  - name: B\n    key: {'7' * 5000}\n", "utf-8")
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, "codebook", "import", str(book)))
    assert "book.yaml" in flat and "digits" in flat
    assert rows(proj) == before


# -- nesting ------------------------------------------------------------------------------------
def test_deeply_nested_yaml_is_refused(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "deep.yaml"
    book.write_text("codes: " + "[" * 20_000 + "]" * 20_000 + "\n", "utf-8")
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, "codebook", "import", str(book)))
    assert "deep.yaml" in flat and "nests too deeply" in flat
    assert rows(proj) == before


def _chain(depth: int) -> str:
    lines = ["codes:", "  - name: C0"]
    path = "C0"
    for i in range(1, depth + 1):
        lines += [f"  - name: C{i}", f"    parent: {path}"]
        path += f"/C{i}"
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("depth", [21, 300])
def test_a_flat_parent_chain_deeper_than_the_nesting_cap_is_refused(
    depth: int, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "chain.yaml"
    book.write_text(_chain(depth), "utf-8")
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, "codebook", "import", str(book)))
    assert "more than 20 levels deep" in flat
    assert rows(proj) == before


def test_a_flat_parent_chain_at_the_nesting_cap_is_imported(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "chain.yaml"
    book.write_text(_chain(20), "utf-8")
    code, out, err = cli(capsys, "--project", proj, "codebook", "import", str(book))
    assert code == 0, out + err
    code, out, err = cli(capsys, "--project", proj, "codebook", "show", "--json")
    assert any(str(c["code"]).endswith("/C19/C20") for c in json.loads(out))


# -- a short codings row ------------------------------------------------------------------------
def test_a_codings_row_with_fewer_cells_than_its_header_is_refused(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "codings.csv"
    path.write_text("document,coder,code,start,end\ngood.txt,ana,A,0,5\ngood.txt,ana,A,0\n")
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, "import-codings", str(path)))
    assert "codings.csv" in flat and "line 3" in flat and "'end'" in flat
    assert rows(proj) == before


# -- --turn-label -------------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["(", "[a-", "(?P<label>DET)"])
@pytest.mark.parametrize("command", [["import", "--skip-bad"], ["document", "resegment", "good"]])
def test_an_invalid_turn_label_is_refused(
    label: str, command: list[str], proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("DET. SMITH: Where were you?\n", "utf-8")
    args = [*command, str(other)] if command[0] == "import" else command
    before = rows(proj)
    flat = refused(cli(capsys, "--project", proj, *args, "--turn-label", label))
    assert "--turn-label" in flat and repr(label) in flat
    assert rows(proj) == before


# -- the schema version row ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("delete from alembic_version", "records no schema version"),
        ("insert into alembic_version values ('0003')", "records 2 schema versions"),
    ],
)
def test_an_empty_or_doubled_schema_version_is_refused(
    change: str, said: str, proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(proj) as conn:
        conn.execute(change)
    before = rows(proj)
    files = sorted(p.name for p in tmp_path.iterdir())
    for command in (["documents"], ["init"]):
        flat = refused(cli(capsys, "--project", proj, *command))
        assert said in flat and "alembic_version" in flat
    assert rows(proj) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no upgrade backup either


# -- database URLs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://u:secret@127.0.0.1:99999/x", "port"),
        ("postgresql+psycopg://u:secret@127.0.0.1:port/x", "not a valid database URL"),
        ("nosuchdb://u:secret@host/x", "no database driver 'nosuchdb'"),
        ("postgresql+nodriver://u:secret@host/x", "no database driver 'postgresql+nodriver'"),
        ("mysql://u:secret@host/x", "is not installed"),
        ("oracle+cx_oracle://u:secret@host/x", "is not installed"),
    ],
)
def test_a_malformed_database_url_is_refused_without_its_password(
    url: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    flat = refused(cli(capsys, "--project", url, "documents"))
    assert said in flat and "secret" not in flat
    assert list(tmp_path.iterdir()) == []
