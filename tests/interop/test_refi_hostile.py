"""Untrusted .qdpx and .qdc files: every hostile one is refused with one clear line, and the
project is left exactly as it was (the import is one transaction)."""

from __future__ import annotations

import re
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.ingest import safe_zip
from qualcode.interop.refi import qdc as refi_qdc
from qualcode.interop.refi import qdpx_import, xml_read
from qualcode.interop.refi.qdc import import_qdc
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project
from qualcode.store.models import (
    AuditEntry,
    Code,
    Coder,
    Coding,
    Document,
    Group,
    Memo,
    Segment,
    Setting,
)

TEXT = "Hello world. The lab is slow.\n"
USER = "11111111-1111-4111-8111-111111111111"
CODE = "22222222-2222-4222-8222-222222222222"
SOURCE = "33333333-3333-4333-8333-333333333333"


def qde(*, start: int = 0, end: int = 5, codes: str | None = None, prolog: str = "") -> bytes:
    codes = codes or f'<Code guid="{CODE}" name="Greeting" isCodable="true"/>'
    return (
        f'{prolog}<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="test 1.0">'
        f'<Users><User guid="{USER}" name="ann"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        f'<Sources><TextSource guid="{SOURCE}" name="doc.txt" '
        f'plainTextPath="internal://{SOURCE}.txt">'
        f'<PlainTextSelection guid="44444444-4444-4444-8444-444444444444" '
        f'startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="55555555-5555-4555-8555-555555555555" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
        f"</TextSource></Sources></Project>"
    ).encode()


def write_zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def good(tmp_path: Path, name: str = "good.qdpx", **kw: object) -> Path:
    return write_zip(
        tmp_path / name,
        [("project.qde", qde(**kw)), (f"sources/{SOURCE}.txt", TEXT.encode())],  # type: ignore[arg-type]
    )


def counts(project: Project) -> tuple[int, ...]:
    with project.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Document, Segment, Code, Coder, Coding, Memo, AuditEntry)
        )


@pytest.fixture
def before(project: Project, tmp_path: Path) -> tuple[int, ...]:
    """The project holds one good import already; returns its counts."""
    report = import_qdpx(project, good(tmp_path), actor="test")
    assert (len(report.documents_added), report.codings_added) == (1, 1)
    with project.session() as s:
        coding = s.scalars(select(Coding)).one()
        assert TEXT[coding.start : coding.end] == "Hello"
    return counts(project)


def refused(project: Project, path: Path, before: tuple[int, ...], match: str) -> None:
    with pytest.raises(QualcodeError, match=match) as info:
        import_qdpx(project, path, actor="test")
    assert "\n" not in str(info.value)
    assert counts(project) == before


def cli_error(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command on the project that must fail as a user error: exit 2 and one line on
    stderr, which is returned."""
    assert project.path is not None
    with pytest.raises(SystemExit) as info:
        main(["--project", str(project.path), *args])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1, err
    return err


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("member", "match"),
    [
        ("../evil.txt", "climbs out"),
        ("sources/../../evil.txt", "climbs out"),
        ("/etc/evil.txt", "absolute path"),
        ("C:/evil.txt", "absolute path"),
        ("sources\\evil.txt", "backslash"),
    ],
)
def test_unsafe_member_names(
    project: Project, tmp_path: Path, before: tuple[int, ...], member: str, match: str
) -> None:
    path = write_zip(
        tmp_path / "bad.qdpx",
        [("project.qde", qde()), (f"sources/{SOURCE}.txt", TEXT.encode()), (member, b"x")],
    )
    refused(project, path, before, match)


def test_symlink_member(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    path = write_zip(
        tmp_path / "bad.qdpx", [("project.qde", qde()), (symlink(f"sources/{SOURCE}.txt"), b"/etc")]
    )
    refused(project, path, before, "symbolic link")


@pytest.mark.parametrize("second", ["project.qde", "PROJECT.QDE"])
def test_duplicate_members(
    project: Project, tmp_path: Path, before: tuple[int, ...], second: str
) -> None:
    path = write_zip(tmp_path / "bad.qdpx", [("project.qde", qde()), (second, qde(end=9))])
    refused(project, path, before, "more than once")


def test_zip_bomb(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    padding = b" " * 30_000_000  # compresses about a thousand times
    path = write_zip(tmp_path / "bomb.qdpx", [("project.qde", qde() + padding)])
    refused(project, path, before, "zip bomb")


def test_size_limits_hold_while_reading(
    project: Project, tmp_path: Path, before: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_zip, "MAX_TOTAL_BYTES", 300)
    refused(project, good(tmp_path, "big.qdpx"), before, "size limits")


def test_too_many_members(
    project: Project, tmp_path: Path, before: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_zip, "MAX_MEMBERS", 20)
    members = [("project.qde", qde())] + [(f"sources/{n}.txt", b"x") for n in range(25)]
    path = write_zip(tmp_path / "many.qdpx", members)

    def never(*_args: object) -> None:
        raise AssertionError("the directory was parsed before the count was checked")

    monkeypatch.setattr(safe_zip.zipfile, "ZipFile", never)
    refused(project, path, before, "26 members")


def test_entity_bomb(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    prolog = f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "lol">{lol}]>'
    bomb = qde(prolog=prolog).replace(b'name="t"', b'name="&l9;"')
    path = write_zip(tmp_path / "lol.qdpx", [("project.qde", bomb)])
    refused(project, path, before, "entity bomb")


def test_deep_nesting(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    deep = "".join(
        f'<Code guid="{n:08d}-0000-4000-8000-000000000000" name="c{n}" isCodable="true">'
        for n in range(150)
    )
    nested = deep + "</Code>" * 150
    path = write_zip(tmp_path / "deep.qdpx", [("project.qde", qde(codes=nested))])
    refused(project, path, before, "nested more than")


def test_offsets_out_of_range(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    refused(project, good(tmp_path, "far.qdpx", end=999), before, "outside its text")
    refused(project, good(tmp_path, "neg.qdpx", start=-3), before, "outside its text")
    refused(project, good(tmp_path, "back.qdpx", start=9, end=4), before, "outside its text")


def test_duplicate_guids(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    twice = (
        f'<Code guid="{CODE}" name="A" isCodable="true"/>'
        f'<Code guid="{{{CODE.upper()}}}" name="B" isCodable="true"/>'
    )
    refused(project, good(tmp_path, "dup.qdpx", codes=twice), before, "duplicate code GUID")


def test_not_a_project(project: Project, tmp_path: Path, before: tuple[int, ...]) -> None:
    (tmp_path / "text.qdpx").write_text("just text")
    refused(project, tmp_path / "text.qdpx", before, "not a readable zip")
    empty = write_zip(tmp_path / "empty.qdpx", [("readme.txt", b"hi")])
    refused(project, empty, before, "no project.qde")
    broken = write_zip(tmp_path / "broken.qdpx", [("project.qde", b"<Project><oops></Project>")])
    refused(project, broken, before, "not well-formed")
    refused(project, tmp_path / "missing.qdpx", before, "no such file")


def test_a_failure_half_way_leaves_the_project_untouched(
    project: Project, tmp_path: Path, before: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_state: object) -> None:
        raise QualcodeError("stop here")

    monkeypatch.setattr(qdpx_import, "import_cases", fail)
    # A new text: its document, segments, coding and audit entries would all be added first.
    path = write_zip(
        tmp_path / "new.qdpx",
        [("project.qde", qde()), (f"sources/{SOURCE}.txt", b"Howdy, a new text here.\n")],
    )
    refused(project, path, before, "stop here")


def test_the_cli_prints_one_line_and_exits_2(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_zip(tmp_path / "bad.qdpx", [("project.qde", qde()), ("../x", b"")])
    assert "climbs out" in cli_error(project, capsys, "import-qdpx", str(path))


# Hostile codebooks (.qdc), through ``qualcode codebook import`` as a user runs it.

QDC_CODE = "66666666-6666-4666-8666-666666666666"


def qdc(*, codes: str | None = None, prolog: str = "", name: str = "Greeting") -> bytes:
    codes = codes or f'<Code guid="{QDC_CODE}" name="{name}" isCodable="true"/>'
    return (
        f'{prolog}<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test 1.0">'
        f"<Codes>{codes}</Codes>"
        f'<Sets><Set guid="77777777-7777-4777-8777-777777777777" name="Main">'
        f'<MemberCode guid="{QDC_CODE}"/></Set></Sets></CodeBook>'
    ).encode()


def codebook_state(project: Project) -> tuple[object, ...]:
    """Everything a codebook import could change: codes, groups and members, settings, audit."""
    with project.session() as s:
        codes = sorted(
            (c.id, c.parent_id, c.name, c.guid, c.description, c.colour)
            for c in s.scalars(select(Code)).all()
        )
        groups = sorted(
            (g.kind, g.name, g.guid, sorted(m.code_id or 0 for m in g.members))
            for g in s.scalars(select(Group)).all()
        )
        settings = sorted(s.execute(select(Setting.key, Setting.value)).all())
        audit = s.scalar(select(func.count()).select_from(AuditEntry))
    return codes, groups, settings, audit


@pytest.fixture
def qdc_before(project: Project, tmp_path: Path) -> tuple[object, ...]:
    """The project holds one good codebook (a code in a set) already; returns its state."""
    path = tmp_path / "good.qdc"
    path.write_bytes(qdc())
    report = import_qdc(project, path, actor="test")
    assert (report.codes.added, report.groups_added, report.group_members_added) == (
        ["Greeting"],
        1,
        1,
    )
    return codebook_state(project)


def codebook_refused(
    project: Project,
    path: Path,
    before: tuple[object, ...],
    match: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = cli_error(project, capsys, "codebook", "import", str(path))
    assert re.search(match, err), err
    assert codebook_state(project) == before


LOL = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
NESTED_CODES = (
    "".join(
        f'<Code guid="{n:08d}-0000-4000-8000-000000000000" name="c{n}" isCodable="true">'
        for n in range(150)
    )
    + "</Code>" * 150
)

HOSTILE_QDC = {
    "entity bomb": (
        qdc(
            prolog=f'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY l0 "lol">{LOL}]>',
            name="&l9;",
        ),
        "entity bomb",
    ),
    "external entity": (
        qdc(prolog='<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>', name="&x;"),
        "entity bomb",
    ),
    "DTD alone": (qdc(prolog="<!DOCTYPE CodeBook>"), "declares a DTD"),
    "nested codes": (qdc(codes=NESTED_CODES), "nested more than 100 deep"),
    "nested anything": (
        qdc(codes="<x>" * 100_000 + "</x>" * 100_000),
        "nested more than 100 deep",
    ),
    "truncated": (qdc()[:-20], "not well-formed XML"),
    "unclosed tag": (qdc().replace(b"</Codes>", b""), "not well-formed XML"),
    "not XML": (b"name,colour\nGreeting,#ff0000\n", "not well-formed XML"),
    "binary": (bytes(range(256)) * 4, "not well-formed XML"),
    "invalid UTF-8": (qdc(name="cafe").replace(b"cafe", b"caf\xc3\x28"), "not well-formed XML"),
    "empty": (b"", "not well-formed XML"),
    "wrong root": (qde(), "not a REFI-QDA codebook"),
    "duplicate GUIDs": (
        qdc(
            codes=f'<Code guid="{QDC_CODE}" name="A" isCodable="true"/>'
            f'<Code guid="{QDC_CODE.upper()}" name="B" isCodable="true"/>'
        ),
        "duplicate code GUID",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_QDC))
def test_hostile_codebooks(
    project: Project,
    tmp_path: Path,
    qdc_before: tuple[object, ...],
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    data, match = HOSTILE_QDC[case]
    path = tmp_path / "hostile.qdc"
    path.write_bytes(data)
    codebook_refused(project, path, qdc_before, match, capsys)


def test_oversized_codebook_is_refused_before_it_is_read(
    project: Project,
    tmp_path: Path,
    qdc_before: tuple[object, ...],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "huge.qdc"
    with path.open("wb") as fh:  # sparse: the size is real, the disk use is not
        fh.truncate(refi_qdc.MAX_QDC_BYTES + 1)

    def never(*_args: object) -> bytes:
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never)
    codebook_refused(project, path, qdc_before, r"refused: larger than 50,000,000 bytes", capsys)


def test_too_many_elements_in_a_codebook(
    project: Project,
    tmp_path: Path,
    qdc_before: tuple[object, ...],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xml_read, "MAX_ELEMENTS", 50)
    codes = "".join(
        f'<Code guid="{n:08d}-0000-4000-8000-000000000000" name="c{n}" isCodable="true"/>'
        for n in range(60)
    )
    path = tmp_path / "many.qdc"
    path.write_bytes(qdc(codes=codes))
    codebook_refused(project, path, qdc_before, "more than 50 XML elements", capsys)


def test_missing_codebook(
    project: Project,
    tmp_path: Path,
    qdc_before: tuple[object, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    codebook_refused(project, tmp_path / "none.qdc", qdc_before, "no such codebook file", capsys)


def test_the_import_command_refuses_a_hostile_qdpx_in_one_line(
    project: Project, tmp_path: Path, before: tuple[int, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_zip(tmp_path / "bad.qdpx", [("project.qde", qde()), ("/etc/x", b"")])
    assert "absolute path" in cli_error(project, capsys, "import", str(path))
    assert counts(project) == before


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_timestamps_out_of_range_in_utc_are_ignored(
    project: Project, tmp_path: Path, stamp: str
) -> None:
    """Such a time is valid in its zone but not in UTC: the coding keeps the import time."""
    data = qde().replace(b"<Coding ", f'<Coding creationDateTime="{stamp}" '.encode())
    path = write_zip(
        tmp_path / "when.qdpx", [("project.qde", data), (f"sources/{SOURCE}.txt", TEXT.encode())]
    )
    report = import_qdpx(project, path, actor="test")
    assert report.codings_added == 1
    with project.session() as s:
        coding = s.scalars(select(Coding)).one()
    assert 2000 < coding.created_at.year < 9999


def test_an_error_quoting_markup_from_the_file_still_exits_2(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = (
        '<Code guid="[/x]" name="A" isCodable="true"/><Code guid="[/x]" name="B" isCodable="true"/>'
    )
    path = tmp_path / "markup.qdc"
    path.write_bytes(qdc(codes=twice))
    assert "duplicate code GUID '[/x]'" in cli_error(
        project, capsys, "codebook", "import", str(path)
    )
