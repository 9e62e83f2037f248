"""A project cut by older rules is re-cut when opened for work; texts and codings stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.cli import main
from qualcode.ingest import import_files
from qualcode.ingest.resegment import bring_segments_up_to_date, segmenter_version
from qualcode.ingest.segment import SEGMENTER_SETTING, SEGMENTER_VERSION
from qualcode.store import Project
from qualcode.store.models import Code, Coder, Coding, Document, Segment, Setting

OLD_TEXT = (
    "Interviewer: How was it?\n\n"
    "P01: It's three of us. [laughs] That's it.\n\n"
    "DET. SMITH: We seized four phones.\n"
)
REV_TEXT = "Interviewer (00:00:03): Hello there.\n\nÁngela Núñez (00:00:09): Hola. ¿Qué tal?\n"


def old_project(project: Project) -> dict[str, int]:
    """Documents cut by the old rules, written by hand, with a coding and a caption cue."""
    t = OLD_TEXT
    with project.write() as s:
        doc = Document(name="old.txt", text=t, sha256="a", source_name="x", source_format="txt")
        rev = Document(
            name="rev.txt", text=REV_TEXT, sha256="b", source_name="y", source_format="txt"
        )
        s.add_all([doc, rev])
        s.flush()
        p01 = t.index("P01:")
        det = t.index("DET.")
        old = [
            ("turn", 0, t.index("?") + 1, "Interviewer"),
            ("turn", p01, t.index("\n", p01), "P01"),
            ("turn", det, len(t) - 1, "DET. SMITH"),
            ("paragraph", 0, t.index("?") + 1, "Interviewer"),
            ("paragraph", p01, t.index("\n", p01), "P01"),
            ("paragraph", det, len(t) - 1, "DET. SMITH"),
            ("sentence", t.index("How"), t.index("?") + 1, "Interviewer"),
            # the old sentencizer: "... of us. [" and "laughs] That's it."
            ("sentence", t.index("It's"), t.index("[") + 1, "P01"),
            ("sentence", t.index("laughs"), t.index("\n", p01), "P01"),
            ("sentence", t.index("We"), len(t) - 1, "DET. SMITH"),
            ("cue", 0, 10, None),
        ]
        s.add_all(
            Segment(document_id=doc.id, kind=k, start=a, end=b, speaker=spk) for k, a, b, spk in old
        )
        code = Code(name="lab", guid="g1")
        coder = Coder(name="ann")
        s.add_all([code, coder])
        s.flush()
        laughs = t.index("laughs")
        s.add(
            Coding(
                document_id=doc.id,
                code_id=code.id,
                coder_id=coder.id,
                start=laughs,
                end=laughs + 20,
            )
        )
        return {"old": doc.id, "rev": rev.id}


def stored(project: Project, doc_id: int, kind: str) -> list[tuple[str, str | None]]:
    with project.session() as s:
        text = s.get(Document, doc_id).text  # type: ignore[union-attr]
        rows = s.execute(
            select(Segment.start, Segment.end, Segment.speaker)
            .where(Segment.document_id == doc_id, Segment.kind == kind)
            .order_by(Segment.start)
        )
        return [(text[a:b], spk) for a, b, spk in rows]


def test_old_segments_are_recut_once_texts_and_codings_unchanged(any_project: Project) -> None:
    project = any_project
    ids = old_project(project)
    with project.session() as s:
        codings_before = s.execute(select(Coding.id, Coding.start, Coding.end)).all()
        assert segmenter_version(s) == 1
    assert bring_segments_up_to_date(project) == 2
    # hand-cut with the new rules: the annotation stays in its sentence
    assert stored(project, ids["old"], "sentence") == [
        ("How was it?", "Interviewer"),
        ("It's three of us. [laughs]", "P01"),
        ("That's it.", "P01"),
        ("We seized four phones.", "DET. SMITH"),
    ]
    # DET. SMITH was a --turn-label turn: the stored speaker keeps it a turn
    assert [spk for _t, spk in stored(project, ids["old"], "turn")] == [
        "Interviewer",
        "P01",
        "DET. SMITH",
    ]
    assert stored(project, ids["old"], "cue") == [("Interviewe", None)]
    # a Rev-style transcript had no turns under the old rules; it has two now
    assert stored(project, ids["rev"], "turn") == [
        ("Interviewer (00:00:03): Hello there.", "Interviewer"),
        ("Ángela Núñez (00:00:09): Hola. ¿Qué tal?", "Ángela Núñez"),
    ]
    assert [t for t, _ in stored(project, ids["rev"], "sentence")] == [
        "Hello there.",
        "Hola.",
        "¿Qué tal?",
    ]
    with project.session() as s:
        assert s.execute(select(Coding.id, Coding.start, Coding.end)).all() == codings_before
        assert s.get(Document, ids["old"]).text == OLD_TEXT  # type: ignore[union-attr]
        assert s.get(Setting, SEGMENTER_SETTING).value == str(SEGMENTER_VERSION)  # type: ignore[union-attr]
    assert bring_segments_up_to_date(project) == 0


def test_the_cli_recuts_on_opening(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    ids = old_project(project)
    try:
        main(
            [
                "segments",
                f"#{ids['old']}",
                "--unit",
                "sentence",
                "--json",
                "--project",
                str(project.path),
            ]
        )
    except SystemExit as exc:
        assert not exc.code
    out, err = capsys.readouterr()
    assert "re-cut the segments of 2 document(s)" in err
    units = json.loads(out)
    assert units[1] == {
        "start": OLD_TEXT.index("It's"),
        "end": OLD_TEXT.index("]") + 1,
        "text": "It's three of us. [laughs]",
        "speaker": "P01",
    }


def test_a_new_import_records_the_rules_and_an_old_project_stays_old(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "new.txt").write_text("Q: Hi?\n\nA: Hello.\n", encoding="utf-8")
    import_files(project, [tmp_path / "new.txt"], actor="t")
    with project.session() as s:
        assert segmenter_version(s) == SEGMENTER_VERSION
        s.execute(select(Setting)).all()
    with project.write() as s:
        s.delete(s.get(Setting, SEGMENTER_SETTING))
    (tmp_path / "more.txt").write_text("Q: Bye?\n\nA: Bye.\n", encoding="utf-8")
    import_files(project, [tmp_path / "more.txt"], actor="t")
    with project.session() as s:  # the older documents still need re-cutting
        assert segmenter_version(s) == 1
