"""Untrusted .qdpx files: every hostile one is refused with one clear line, and the project is
left exactly as it was (the import is one transaction)."""

from __future__ import annotations

import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.interop.refi import qdpx_import, safe_zip
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project
from qualcode.store.models import AuditEntry, Code, Coder, Coding, Document, Memo, Segment

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
    assert project.path is not None
    with pytest.raises(SystemExit) as info:
        main(["--project", str(project.path), "import-qdpx", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "climbs out" in err and len(err.splitlines()) == 1
