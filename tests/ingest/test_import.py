"""Importing batches: all-or-nothing, --skip-bad, duplicates, streaming progress, attributes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.errors import QualcodeError
from qualcode.ingest import ImportFailed, import_files
from qualcode.ingest.attributes import import_attributes
from qualcode.store import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    AuditEntry,
    Document,
    Participant,
    Segment,
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def transcript(n: int) -> str:
    return f"Interviewer: Question {n}?\n\nP{n:02d}: Answer {n}. The lab is slow.\n"


def counts(project: Project) -> dict[str, int]:
    with project.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Document, Segment, AuditEntry, Participant)
        }


def test_import_stores_text_segments_and_hash(any_project: Project, tmp_path: Path) -> None:
    project = any_project
    files = [write(tmp_path, f"P{n:02d}.txt", transcript(n)) for n in (1, 2)]
    seen: list[tuple[int, int, str]] = []
    report = import_files(project, files, actor="t", progress=lambda *a: seen.append(a))
    assert report.imported == ["P01.txt", "P02.txt"]
    assert seen[-1][:2] == (2, 2)
    with project.session() as s:
        doc = s.scalar(select(Document).where(Document.name == "P02.txt"))
        assert doc is not None
        assert doc.text == transcript(2)
        kinds = {
            k: [(doc.text[a:b], sp) for a, b, sp in rows]
            for k in ("turn", "sentence")
            for rows in [
                s.execute(
                    select(Segment.start, Segment.end, Segment.speaker)
                    .where(Segment.document_id == doc.id, Segment.kind == k)
                    .order_by(Segment.start)
                ).all()
            ]
        }
    assert kinds["turn"] == [
        ("Interviewer: Question 2?", "Interviewer"),
        ("P02: Answer 2. The lab is slow.", "P02"),
    ]
    assert kinds["sentence"] == [
        ("Question 2?", "Interviewer"),
        ("Answer 2.", "P02"),
        ("The lab is slow.", "P02"),
    ]


def test_a_bad_file_leaves_the_project_exactly_as_it_was(
    any_project: Project, tmp_path: Path
) -> None:
    project = any_project
    import_files(project, [write(tmp_path, "P01.txt", transcript(1))], actor="t")
    before = counts(project)
    good = write(tmp_path, "P02.txt", transcript(2))
    bad = tmp_path / "P03.txt"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.raises(ImportFailed) as info:
        import_files(project, [good, bad, tmp_path / "missing.txt"], actor="t")
    assert counts(project) == before
    message = str(info.value)
    assert "nothing was imported" in message
    assert "P03.txt: binary" in message and "missing.txt: missing" in message


def test_skip_bad_imports_the_rest_and_lists_what_was_skipped(
    project: Project, tmp_path: Path
) -> None:
    first = write(tmp_path, "P01.txt", transcript(1))
    import_files(project, [first], actor="t")
    copy = write(tmp_path / ".." / tmp_path.name, "again.txt", transcript(1))
    empty = write(tmp_path, "empty.txt", "")
    good = write(tmp_path, "P02.txt", transcript(2))
    report = import_files(project, [copy, empty, good], actor="t", skip_bad=True)
    assert report.imported == ["P02.txt"]
    reasons = dict(report.skipped)
    assert "duplicate of document 'P01.txt'" in reasons[str(copy)]
    assert reasons[str(empty)] == "empty file"


def test_duplicates_within_one_batch_and_name_clashes(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write(tmp_path / "a", "int.txt", transcript(1))
    other = write(tmp_path / "b", "int.txt", transcript(2))
    report = import_files(project, [one, other], actor="t")
    assert report.imported == ["int.txt", "int (2).txt"]
    with pytest.raises(ImportFailed, match="same sha256"):
        import_files(
            project,
            [write(tmp_path, "x.txt", transcript(3)), write(tmp_path, "y.txt", transcript(3))],
            actor="t",
        )


def test_folders_are_imported_recursively(project: Project, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "P01.txt", transcript(1))
    write(tmp_path / "sub", "P02.md", transcript(2))
    write(tmp_path, "notes.json", "{}")
    report = import_files(project, [tmp_path], actor="t")
    assert sorted(report.imported) == ["P01.txt", "P02.md"]


def test_attributes_are_typed_and_link_documents(project: Project, tmp_path: Path) -> None:
    import_files(project, [write(tmp_path, f"P0{n}.txt", transcript(n)) for n in (1, 2)], actor="t")
    csv = write(
        tmp_path,
        "people.csv",
        "participant,state,years,interviewed,office:text\n"
        "P01,Ohio,14,2024-03-01,county\nP02,Texas,9.5,2024-04-11,federal\n",
    )
    report = import_attributes(project, csv, actor="t", ranges={})
    assert report.attributes == {
        "state": "text",
        "years": "number",
        "interviewed": "date",
        "office": "text",
    }
    with project.session() as s:
        kinds = dict(s.execute(select(Attribute.name, Attribute.kind)).all())
        p2 = s.scalar(select(Participant).where(Participant.label == "P02"))
        assert p2 is not None
        values = {
            v.attribute.name: v.value
            for v in s.scalars(select(AttributeValue).where(AttributeValue.participant_id == p2.id))
        }
        linked = s.scalar(select(Document.name).where(Document.participant_id == p2.id))
    assert kinds["years"] == "number"
    assert values["years"] == 9.5 and str(values["interviewed"]) == "2024-04-11"
    assert linked == "P02.txt"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("state\nOhio\n", "needs a 'participant' column"),
        ("participant,years:number\nP01,many\n", "is not a number"),
        ("participant,state\nP01,Ohio\nP01,Texas\n", "appears twice"),
        ("participant,document\nP01,nothere.txt\n", "not in the project"),
    ],
)
def test_bad_attribute_files_change_nothing(
    project: Project, tmp_path: Path, body: str, message: str
) -> None:
    csv = write(tmp_path, "bad.csv", body)
    with pytest.raises(QualcodeError, match=message):
        import_attributes(project, csv, actor="t", ranges={})
    assert counts(project)["participants"] == 0


def test_the_import_names_documents_without_turns(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.cli import main

    write(tmp_path, "plain.txt", "Just one speaker talking.\n\nNo labels anywhere.\n")
    write(tmp_path, "labelled.txt", "Q: Hi?\n\nA: Hello.\n")
    write(tmp_path, "zh.txt", "记录员：开始。\n\n王小明：你好。\n")
    args = ["import", str(tmp_path / "plain.txt"), str(tmp_path / "labelled.txt")]
    try:
        main([*args, "--project", str(project.path)])
    except SystemExit as exc:
        assert not exc.code
    out = capsys.readouterr().out
    assert "plain.txt: no speaker turns found" in out
    assert "labelled.txt: no speaker" not in out
    # --turn-label with a full-width colon, names off: 记录员 is a turn, 王小明 is not
    try:
        main(
            [
                "import",
                str(tmp_path / "zh.txt"),
                "--no-names",
                "--turn-label",
                "记录员",
                "--json",
                "--project",
                str(project.path),
            ]
        )
    except SystemExit as exc:
        assert not exc.code
    assert json.loads(capsys.readouterr().out)["no_turns"] == []
    with project.session() as s:
        doc_id = s.scalar(select(Document.id).where(Document.name == "zh.txt"))
        turns = s.execute(
            select(Segment.speaker).where(Segment.document_id == doc_id, Segment.kind == "turn")
        )
        assert [t for (t,) in turns] == ["记录员"]
