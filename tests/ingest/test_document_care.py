"""Caring for imported documents: rename, delete (codings only when asked, audited) and
re-cutting a document's turns with new labels, its text and codings untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.store import Project, open_project
from qualcode.store.models import AuditEntry, Coding, Document, Memo, Segment

from ..run_cli import cli

TEXT = (
    "Interviewer: How was the week?\n\n"
    "SMITH #2: We seized four phones. The lab is slow.\n\n"
    "Interviewer: And then?\n\n"
    "SMITH #2: We waited eleven months.\n"
)


@pytest.fixture
def proj(backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli(capsys, "init", "--project", backend_url)[0] == 0
    path = tmp_path / "smith.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "import", str(path), "--project", backend_url)[0] == 0
    assert cli(capsys, "codes", "add", "lab", "--project", backend_url)[0] == 0
    start = TEXT.index("The lab")
    args = ["code", "-d", "smith.txt", "-c", "lab", "-s", str(start), "-e", str(start + 15)]
    assert cli(capsys, *args, "--coder", "ana", "--project", backend_url)[0] == 0
    assert cli(capsys, *args, "--coder", "bob", "--project", backend_url)[0] == 0
    memo = ["memo", "note", "--on", "document", "--ref", "smith.txt", "--coder", "ana"]
    assert cli(capsys, *memo, "--project", backend_url)[0] == 0
    return backend_url


def _open(url: str) -> Project:
    return open_project(url)


def test_rename_keeps_codings_and_is_audited(proj: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "document", "rename", "smith", "Smith 2021.txt", "--project", proj)
    assert code == 0, err
    p = _open(proj)
    with p.session() as s:
        doc = s.scalar(select(Document))
        assert doc is not None and doc.name == "Smith 2021.txt"
        assert len(s.scalars(select(Coding).where(Coding.document_id == doc.id)).all()) == 2
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "rename"))
        assert entry is not None and entry.detail == {"old": "smith.txt", "new": "Smith 2021.txt"}
    p.dispose()
    code, _, err = cli(capsys, "document", "rename", "Smith 2021.txt", " ", "--project", proj)
    assert code == 2 and "needs a name" in err


def test_delete_refuses_a_coded_document_without_with_codings(
    proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "document", "delete", "smith.txt", "--project", proj)
    assert code == 2 and "2 coding(s)" in err and "--with-codings" in err
    p = _open(proj)
    with p.session() as s:
        assert s.scalar(select(Document.name)) == "smith.txt"
        assert len(s.scalars(select(Coding)).all()) == 2
    p.dispose()
    # a second import of the same text is refused as a duplicate while it is there
    again = tmp_path / "again.txt"
    again.write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "import", str(again), "--project", proj)[0] == 2

    code, out, err = cli(
        capsys, "document", "delete", "smith.txt", "--with-codings", "--json", "--project", proj
    )
    assert code == 0, err
    assert json.loads(out)["codings"] == 2 and json.loads(out)["memos"] == 1
    p = _open(proj)
    with p.session() as s:
        assert s.scalars(select(Document)).all() == []
        assert s.scalars(select(Coding)).all() == []
        assert s.scalars(select(Segment)).all() == []
        assert s.scalars(select(Memo)).all() == []
        removed = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "coding", AuditEntry.action == "remove")
        ).all()
        assert sorted(e.detail["coder"] for e in removed if e.detail) == ["ana", "bob"]
        assert all(e.detail and e.detail["via"] == "document delete" for e in removed)
        deleted = s.scalar(
            select(AuditEntry).where(AuditEntry.entity == "document", AuditEntry.action == "delete")
        )
        assert deleted is not None and deleted.detail is not None
        assert deleted.detail["name"] == "smith.txt" and deleted.detail["codings"] == 2
        assert deleted.detail["memos"][0]["body"] == "note"
    p.dispose()
    # ...and once deleted, it can be imported again
    code, _, err = cli(capsys, "import", str(again), "--project", proj)
    assert code == 0, err


def test_resegment_with_a_turn_label_keeps_text_and_codings(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    p = _open(proj)

    def turns() -> list[tuple[str | None, str]]:
        with p.session() as s:
            text = s.scalar(select(Document.text)) or ""
            rows = s.execute(
                select(Segment.speaker, Segment.start, Segment.end)
                .where(Segment.kind == "turn")
                .order_by(Segment.start)
            )
            return [(spk, text[a:b]) for spk, a, b in rows]

    def codings() -> list[tuple[int, int, int]]:
        with p.session() as s:
            return [(c.id, c.start, c.end) for c in s.scalars(select(Coding).order_by(Coding.id))]

    before_codings = codings()
    assert {spk for spk, _ in turns()} == {"Interviewer"}
    code, out, err = cli(
        capsys,
        "document",
        "resegment",
        "smith.txt",
        "--turn-label",
        r"SMITH #\d",
        "--json",
        "--project",
        proj,
    )
    assert code == 0, err
    assert json.loads(out)["turns"] == 4
    found = turns()
    assert [spk for spk, _ in found] == ["Interviewer", "SMITH #2", "Interviewer", "SMITH #2"]
    assert found[1][1].startswith("SMITH #2: We seized")
    assert codings() == before_codings
    with p.session() as s:
        assert s.scalar(select(Document.text)) == TEXT
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "resegment"))
        assert entry is not None and entry.detail and entry.detail["turns"] == 4
        # sentences are cut again inside the new turns, none crossing one
        sentences = s.execute(
            select(Segment.start, Segment.end, Segment.speaker).where(Segment.kind == "sentence")
        ).all()
        assert "SMITH #2" in {spk for _, _, spk in sentences}
    p.dispose()
    code, _, err = cli(
        capsys, "document", "resegment", "smith.txt", "--turn-label", "(", "--project", proj
    )
    assert code == 2 and "not a regular expression" in err
