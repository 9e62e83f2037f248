"""Export to REFI-QDA and import into a new project: the same documents, codes, coders,
codings (at the same offsets), memos, participants and groups. The files validate against the
standard's schemas, and exporting twice gives the same GUIDs."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import xmlschema
from sqlalchemy import select

from qualcode.coding import add_coding, add_memo, code_paths
from qualcode.coding.codings import coding_memos
from qualcode.demo import build_demo
from qualcode.ingest import import_files
from qualcode.interop.qdc import export_qdc, load_qdc
from qualcode.interop.refi.qdpx_export import export_qdpx
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project, open_project
from qualcode.store.models import (
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Group,
    GroupMember,
    Memo,
)

from .shared_files import xsd

EMOJI_TEXT = (
    "Interviewer: How is the lab? 😀\r\n\r\n"
    "P99: It is 👍🏽 slow, 🎉 really slow. Eleven months 🧑‍⚖️ on phones.\r\n"
)


def schema(name: str) -> xmlschema.XMLSchema:
    """The standard's schema; skips (only) the test that validates when it is not there."""
    return xmlschema.XMLSchema(str(xsd(name)))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The demo project, plus codings (two coders, an emoji document), memos and groups."""
    folder = tmp_path_factory.mktemp("source")
    project = open_project(folder / "demo.db", create=True)
    build_demo(project)
    (folder / "P99.txt").write_bytes(EMOJI_TEXT.encode("utf-8-sig"))
    import_files(project, [folder / "P99.txt"], actor="test")
    with project.write() as s:
        doc = s.scalars(select(Document).where(Document.name == "P99.txt")).one()
        for coder, word in (("ana", "slow"), ("ben", "slow"), ("ana", "Eleven months")):
            start = doc.text.index(word)
            add_coding(
                s, document=doc, code="Caseload", coder=coder, start=start, end=start + len(word)
            )
        start = doc.text.index("👍🏽")
        coding = add_coding(
            s, document=doc, code="Caseload", coder="ben", start=start, end=start + 2, memo="why?"
        )
        add_memo(s, body="About the whole study.", coder="ana", title="Plan")
        add_memo(s, body="Emoji everywhere.", coder="ana", target="document", ref="P99.txt")
        add_memo(s, body="Broad code.", coder="ben", target="code", ref="Caseload")
        add_memo(s, body="On one coding.", coder="ben", target="coding", ref=coding.id)
        for title, word, coder in (("", "really slow", "ana"), ("Why phones?", "phones", "ben")):
            at = doc.text.index(word)
            add_memo(
                s,
                body=f"A comment on {word}.",
                coder=coder,
                title=title,
                target="annotation",
                ref="P99.txt",
                start=at,
                end=at + len(word),
            )
        emoji = doc.text.index("🎉")  # an annotation after an emoji: positions are converted
        add_memo(
            s,
            body="Party.",
            coder="ana",
            target="annotation",
            ref=doc.id,
            start=emoji,
            end=emoji + 1,
        )
        codes = s.scalars(select(Code).where(Code.parent_id.is_(None))).all()[:3]
        group = Group(kind="code", name="Main families", description="The big three", guid="g-1")
        s.add(group)
        s.flush()
        s.add_all(GroupMember(group_id=group.id, code_id=c.id) for c in codes)
        docs = Group(kind="document", name="Emoji", guid="9f1c1e1e-0000-4000-8000-000000000001")
        s.add(docs)
        s.flush()
        s.add(GroupMember(group_id=docs.id, document_id=doc.id))
    yield project
    project.dispose()


def snapshot(project: Project) -> dict[str, object]:
    """Everything a round trip must keep, by names rather than ids."""
    with project.session() as s:
        paths = code_paths(s)
        docs = {d.id: d for d in s.scalars(select(Document)).all()}
        coders = dict(s.execute(select(Coder.id, Coder.name)).all())
        codes = {
            paths[c.id]: (c.guid, c.colour, c.description, c.inclusion, c.exclusion, c.example)
            for c in s.scalars(select(Code)).all()
        }
        codings = {
            c.id: (docs[c.document_id].name, paths[c.code_id], coders[c.coder_id], c.start, c.end)
            for c in s.scalars(select(Coding)).all()
        }
        memo_of = coding_memos(s)
        memos = set()
        for m in s.scalars(select(Memo)).all():
            about = (
                docs[m.document_id].name
                if m.document_id
                else paths[m.code_id]
                if m.code_id
                else codings[m.coding_id]
                if m.coding_id
                else None
            )
            memos.add(
                (m.title, m.body, m.target, about, coders.get(m.coder_id or 0), m.start, m.end)
            )
        values = {
            (v.participant.label, v.attribute.name, v.attribute.kind, v.value)
            for v in s.scalars(select(AttributeValue)).all()
        }
        groups = {
            (g.kind, g.name, g.description): sorted(
                paths[m.code_id] if m.code_id else docs[m.document_id or 0].name for m in g.members
            )
            for g in s.scalars(select(Group)).all()
        }
        return {
            "documents": {d.name: (d.text, d.sha256) for d in docs.values()},
            "participants": {
                d.name: d.participant.label if d.participant else None for d in docs.values()
            },
            "codes": codes,
            "coders": set(coders.values()),
            "codings": {(*key, memo_of.get(cid)) for cid, key in codings.items()},
            "memos": memos,
            "values": values,
            "groups": groups,
        }


@pytest.mark.parametrize("positions", ["standard", "nvivo", "nvivo-mac"])
def test_round_trip_keeps_everything(source: Project, tmp_path: Path, positions: str) -> None:
    """Runs without the schemas too: only the validation below needs them."""
    out = tmp_path / "out.qdpx"
    report = export_qdpx(source, out, positions=positions)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    before = snapshot(source)
    assert report.documents == 25 and report.codings == len(before["codings"])  # type: ignore[arg-type]
    assert all(re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in names if n != "project.qde")
    target = open_project(tmp_path / "new.db", create=True)
    result = import_qdpx(target, out, actor="test")
    assert not result.not_imported
    assert snapshot(target) == before
    target.dispose()


@pytest.mark.parametrize("positions", ["standard", "nvivo", "nvivo-mac"])
def test_exported_project_validates_against_the_schema(
    source: Project, tmp_path: Path, positions: str
) -> None:
    project_xsd = schema("Project.xsd")
    out = tmp_path / "out.qdpx"
    export_qdpx(source, out, positions=positions)
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    project_xsd.validate(qde)


def test_round_trip_on_each_backend(source: Project, tmp_path: Path, any_project: Project) -> None:
    out = tmp_path / "out.qdpx"
    export_qdpx(source, out)
    import_qdpx(any_project, out, actor="test")
    assert snapshot(any_project) == snapshot(source)


def test_positions_are_code_points_by_default_and_utf16_for_nvivo(
    source: Project, tmp_path: Path
) -> None:
    with source.session() as s:
        doc = s.scalars(select(Document).where(Document.name == "P99.txt")).one()
        start = doc.text.index("Eleven months")
        text = doc.text
    for positions, expected in (
        ("standard", start),
        ("nvivo", len(text[:start].replace("\n", "\r\n").encode("utf-16-le")) // 2),
        ("nvivo-mac", len(text[:start].encode("utf-16-le")) // 2),
    ):
        out = tmp_path / f"{positions}.qdpx"
        export_qdpx(source, out, positions=positions)
        with zipfile.ZipFile(out) as zf:
            qde = zf.read("project.qde").decode("utf-8")
            texts = [zf.read(n) for n in zf.namelist() if n.startswith("sources/")]
        assert f'name="Eleven months" startPosition="{expected}"' in qde
        # NVivo for Windows reads CRLF text; the standard and NVivo for Mac keep LF
        assert any(b"\r\n" in raw for raw in texts) == (positions == "nvivo")
        assert ("NVivo for Mac" in qde) == (positions == "nvivo-mac")
    assert expected != start  # the emoji and CRLF make the two countings differ here


def test_exporting_twice_gives_the_same_guids(source: Project, tmp_path: Path) -> None:
    def guids(path: Path) -> list[str]:
        export_qdpx(source, path)
        qde = zipfile.ZipFile(path).read("project.qde").decode("utf-8")
        return re.findall(r'guid="([^"]+)"', qde)

    first, second = guids(tmp_path / "a.qdpx"), guids(tmp_path / "b.qdpx")
    assert first == second
    assert len(set(first)) == len(first)
    with source.session() as s:
        assert set(s.scalars(select(Code.guid)).all()) <= set(first)


def test_exported_codebook_validates_against_the_schema(source: Project, tmp_path: Path) -> None:
    codebook_xsd = schema("Codebook.xsd")
    out = tmp_path / "book.qdc"
    export_qdc(source, out)
    codebook_xsd.validate(str(out))


def test_exports_are_written_whole_with_the_usual_permissions(
    source: Project, tmp_path: Path
) -> None:
    """.qdpx and .qdc files get the permissions the user's umask gives any new file (they were
    once owner-only), and the hidden temporary file they are written to is gone afterwards."""
    old = os.umask(0o022)
    try:
        export_qdpx(source, tmp_path / "p.qdpx")
        export_qdc(source, tmp_path / "b.qdc")
    finally:
        os.umask(old)
    for name in ("p.qdpx", "b.qdc"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in {".qdpx", ".qdc", ".tmp"}) == [
        "b.qdc",
        "p.qdpx",
    ]


def test_qdc_round_trip(source: Project, tmp_path: Path) -> None:
    """Runs without the schemas too (see the test above for the validation)."""
    out = tmp_path / "book.qdc"
    result = export_qdc(source, out)
    book = load_qdc(out)
    with source.session() as s:
        paths = code_paths(s)
        codes = {paths[c.id]: c for c in s.scalars(select(Code)).all()}
    assert result["codes"] == len(codes) and result["sets"] == 1
    read = {path: spec for path, spec, _parent in book.walk()}
    assert set(read) == set(codes)
    for path, spec in read.items():
        code = codes[path]
        assert (spec.guid, spec.colour, spec.description) == (
            code.guid,
            code.colour,
            code.description,
        )
        assert (spec.inclusion, spec.exclusion, spec.example) == (
            code.inclusion,
            code.exclusion,
            code.example,
        )
