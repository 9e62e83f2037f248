"""Hostile and broken input for every reader: each either imports correctly or gives a clear
QualcodeError with nothing written; never another exception, never a hang."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from qualcode.codebook import parse_codebook
from qualcode.coding.csv_import import import_codings_csv
from qualcode.errors import QualcodeError
from qualcode.ingest import BadInput, RawTranscript, import_files, read_transcript
from qualcode.ingest.attributes import import_attributes
from qualcode.store import Project, open_project
from qualcode.store.models import AuditEntry, Coding, Document, Participant

FUZZ = settings(
    max_examples=120,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texty = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=400)
CUE = st.builds(
    lambda a, b, who, body: f"00:{a:02d}:01.000 --> 00:{b:02d}:02.500\n{who}{body}",
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", "<v Ann>", "Bob: ", "<v>", "<b>"]),
    texty,
)


def check_transcript(path: Path) -> None:
    try:
        raw = read_transcript(path)
    except BadInput as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(raw, RawTranscript) and raw.text.strip()
    assert "\r" not in raw.text
    for cue in raw.cues:
        assert 0 <= cue.start <= cue.end <= len(raw.text)


@FUZZ
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".txt", ".md", ".vtt", ".srt", ".docx"]))
def test_random_bytes(tmp_path: Path, data: bytes, ext: str) -> None:
    path = tmp_path / f"f{ext}"
    path.write_bytes(data)
    check_transcript(path)


@FUZZ
@given(text=texty, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_text_in_every_encoding(tmp_path: Path, text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    check_transcript(path)


@FUZZ
@given(cues=st.lists(CUE, max_size=8), header=st.sampled_from(["WEBVTT\n\n", "WEBVTT - x\n\n", ""]))
def test_caption_files(tmp_path: Path, cues: list[str], header: str) -> None:
    for ext, body in (
        (".vtt", header + "\n\n".join(cues)),
        (".srt", "\n\n".join(f"{n}\n{c.replace('.', ',', 2)}" for n, c in enumerate(cues, 1))),
    ):
        path = tmp_path / f"c{ext}"
        path.write_text(body, encoding="utf-8")
        check_transcript(path)


def test_over_long_lines_nul_bytes_and_invalid_utf8(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("P01: " + "word " * 400_000, encoding="utf-8")
    assert len(read_transcript(long).text) > 2_000_000
    for name, data, reason in [
        ("nul.txt", b"Q: hi\x00there", "binary"),
        ("bad8.txt", b"Q: caf\xc3\x28 \x81\x8d", "undecodable"),
        ("half16.txt", codecs.BOM_UTF16_LE + "Q: hi".encode("utf-16-le")[:-1], "undecodable"),
    ]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(BadInput, match=reason):
            read_transcript(tmp_path / name)


def test_hostile_docx(tmp_path: Path) -> None:
    cases = {
        "bomb.docx": [("word/document.xml", b"0" * 30_000_000)],
        "nodoc.docx": [("other.xml", b"<a/>")],
        "entities.docx": [
            ("[Content_Types].xml", b"<Types/>"),
            (
                "word/document.xml",
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
            ),
        ],
    }
    for name, members in cases.items():
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for member, data in members:
                zf.writestr(member, data)
        with pytest.raises(BadInput):
            read_transcript(path)


def counts(project: Project) -> tuple[int, ...]:
    with project.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Document, Coding, Participant, AuditEntry)
        )


@pytest.fixture
def seeded(tmp_path: Path) -> Project:
    project = open_project(tmp_path / "p.db", create=True)
    from qualcode.codebook import apply_codebook

    with project.write() as s:
        apply_codebook(s, parse_codebook("codes:\n- name: A\n"), actor="t")
    doc = tmp_path / "P01.txt"
    doc.write_text("Interviewer: Hello.\n\nP01: The lab is slow.\n", encoding="utf-8")
    import_files(project, [doc], actor="t")
    return project


CSV_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@FUZZ
@given(
    rows=st.lists(st.lists(CSV_CELL, min_size=1, max_size=6), max_size=5),
    header=st.sampled_from(
        [
            "document,coder,code,start,end",
            "document,coder,code,text",
            "participant,state,years",
            "participant,document",
            "x,y",
        ]
    ),
)
def test_csv_readers_import_or_refuse_cleanly(
    seeded: Project, tmp_path: Path, rows: list[list[str]], header: str
) -> None:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header.split(","))
    writer.writerows(rows)
    path = tmp_path / "in.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = counts(seeded)
    reader = import_codings_csv if header.startswith("document") else None
    try:
        if reader is not None:
            reader(seeded, path)
        else:
            import_attributes(seeded, path, actor="fuzz", ranges={})
    except QualcodeError as exc:
        assert str(exc)
        assert counts(seeded) == before


def test_codings_csv_with_offsets_out_of_range_changes_nothing(
    seeded: Project, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "document,coder,code,start,end\nP01.txt,ana,A,0,5\nP01.txt,ana,A,10,99999\n",
        encoding="utf-8",
    )
    before = counts(seeded)
    with pytest.raises(QualcodeError, match="line 3: span 10-99999 is not inside"):
        import_codings_csv(seeded, path)
    assert counts(seeded) == before


@FUZZ
@given(text=st.text(max_size=300))
def test_yaml_codebooks_load_or_refuse_cleanly(text: str) -> None:
    try:
        book = parse_codebook(text)
    except QualcodeError as exc:
        assert str(exc)
        return
    book.validate()


@FUZZ
@given(
    codes=st.recursive(
        st.fixed_dictionaries(
            {"name": st.text(min_size=0, max_size=8)},
            optional={
                "key": st.text(max_size=2),
                "colour": st.sampled_from(["#a1b2c3", "red", "#12345", ""]),
                "parent": st.text(max_size=6),
            },
        ),
        lambda children: st.fixed_dictionaries(
            {"name": st.text(min_size=1, max_size=8), "children": st.lists(children, max_size=3)}
        ),
        max_leaves=10,
    ).map(lambda c: [c])
)
def test_structured_codebooks(codes: list[dict[str, object]]) -> None:
    import yaml

    try:
        parse_codebook(yaml.safe_dump({"codes": codes}))
    except QualcodeError as exc:
        assert str(exc)


def test_yaml_alias_fan_out_is_bounded() -> None:
    levels = ["a: &a {name: x}\n"]
    for p, c in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{c}: &{c} {{name: x, children: [{', '.join(['*' + p] * 9)}]}}\n")
    with pytest.raises(QualcodeError, match="more than 20000 codes"):
        parse_codebook("".join(levels) + "codes: [*i]\n")


def test_yaml_entity_expansion_is_bounded() -> None:
    bomb = (
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "codes: *i\n"
    )
    with pytest.raises(QualcodeError):
        parse_codebook(bomb)
