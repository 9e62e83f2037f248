"""The REFI-QDA commands as a user runs them: export qdc/qdpx, import-qdpx, codebook import."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.coding.codes import code_paths
from qualcode.demo import build_demo
from qualcode.store import open_project
from qualcode.store.models import Document, Group

from ..run_cli import cli as run
from .shared_files import sample as sample_path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo project, built once; the tests only read it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    project = open_project(path, create=True)
    build_demo(project)
    project.dispose()
    return str(path)


def test_export_and_import_a_project(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.qdpx"
    code, stdout, _err = run(capsys, "export", "qdpx", str(out), "--project", demo, "--json")
    assert code == 0
    exported = json.loads(stdout)
    assert exported["documents"] == 24 and exported["codes"] > 0
    assert "project.qde" in zipfile.ZipFile(out).namelist()
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "import-qdpx", str(out), "--project", new, "--json")
    assert code == 0
    imported = json.loads(stdout)
    assert len(imported["documents_added"]) == 24
    assert imported["codings_added"] == exported["codings"]
    assert imported["not_imported"] == {}
    code, stdout, _err = run(capsys, "import-qdpx", str(out), "--project", new)
    assert code == 0 and "0 document(s) added, 24 already in the project" in stdout


def test_export_and_import_a_codebook(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "book.qdc"
    code, stdout, _err = run(capsys, "export", "qdc", str(out), "--project", demo)
    assert code == 0 and "code(s)" in stdout
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "codebook", "import", str(out), "--project", new, "--json")
    assert code == 0
    added = json.loads(stdout)["added"]
    code, stdout, _err = run(capsys, "codebook", "show", "--project", demo, "--json")
    assert added == [row["code"] for row in json.loads(stdout)]


def test_positions_option_and_bad_input(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "n.qdpx"
    assert (
        run(capsys, "export", "qdpx", str(out), "--positions", "nvivo", "--project", demo)[0] == 0
    )
    assert b"NVivo" in zipfile.ZipFile(out).read("project.qde")
    code, _out, err = run(
        capsys, "export", "qdpx", str(out), "--positions", "bytes", "--project", demo
    )
    assert code == 2 and "positions must be one of" in err
    code, _out, err = run(
        capsys, "export", "qdpx", str(tmp_path / "no" / "x.qdpx"), "--project", demo
    )
    assert code == 2 and "does not exist" in err
    code, _out, err = run(capsys, "import-qdpx", str(tmp_path / "none.qdpx"), "--project", demo)
    assert code == 2 and "no such file" in err


def test_import_a_sample_lists_what_it_could_not_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = sample_path("skyloom__TestProject.qdpx")
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "import-qdpx", str(sample), "--unflatten", "--project", new)
    assert code == 0
    assert "not imported:" in stdout
    assert "6 text sources whose file is missing from the .qdpx" in stdout
    assert "2 video sources" in stdout


def code_groups(db: str) -> dict[str, tuple[str, str, list[str]]]:
    """Each group by name: (kind, description, member code paths)."""
    project = open_project(db)
    with project.session() as s:
        paths = code_paths(s)
        found = {
            g.name: (
                g.kind,
                g.description,
                sorted(paths[m.code_id] for m in g.members if m.code_id is not None),
            )
            for g in s.scalars(select(Group)).all()
        }
    project.dispose()
    return found


def all_code_paths(db: str) -> set[str]:
    project = open_project(db)
    with project.session() as s:
        found = set(code_paths(s).values())
    project.dispose()
    return found


def test_codebook_import_keeps_a_qdc_set_as_a_code_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdc = sample_path("requal__atlasti-win-23.4.0_from-test.qdc")
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "codebook", "import", str(qdc), "--project", new, "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["added"] == ["code1"]
    assert report["groups"] == ["code group 1"]
    assert (report["groups_added"], report["group_members_added"]) == (1, 1)
    assert report["not_imported"] == {}
    assert code_groups(new) == {"code group 1": ("code", "kategorie 1", ["code1"])}
    # Importing again merges into the same group and says so.
    code, stdout, _err = run(capsys, "codebook", "import", str(qdc), "--project", new)
    assert code == 0
    words = " ".join(stdout.split())  # the console wraps long lines
    assert "0 added, 0 updated, 1 unchanged" in words
    assert "code groups: code group 1 (0 added, 0 member(s) added)" in words
    assert code_groups(new) == {"code group 1": ("code", "kategorie 1", ["code1"])}


FLAT_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti Win 23.4.0"><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="Coke::diet Coke" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-000000000002" name="Coke::full-fat Coke" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-000000000003" name="Water" isCodable="true"/>
</Codes><Sets><Set guid="00000000-0000-4000-8000-0000000000aa" name="Drinks">
<MemberCode guid="00000000-0000-4000-8000-000000000001"/>
<MemberCode guid="00000000-0000-4000-8000-000000000003"/>
<MemberCode guid="00000000-0000-4000-8000-0000000000ff"/>
</Set></Sets></CodeBook>
"""


def test_codebook_import_unflattens_on_request_and_reports_lost_set_members(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdc = tmp_path / "flat.qdc"
    qdc.write_text(FLAT_QDC, encoding="utf-8")
    flat, tree = str(tmp_path / "flat.db"), str(tmp_path / "tree.db")
    for db in (flat, tree):
        assert run(capsys, "init", "--project", db)[0] == 0
    assert run(capsys, "codebook", "import", str(qdc), "--project", flat)[0] == 0
    assert all_code_paths(flat) == {"Coke::diet Coke", "Coke::full-fat Coke", "Water"}
    code, stdout, _err = run(
        capsys, "codebook", "import", str(qdc), "--unflatten", "--project", tree, "--json"
    )
    assert code == 0
    report = json.loads(stdout)
    assert all_code_paths(tree) == {"Coke", "Coke/diet Coke", "Coke/full-fat Coke", "Water"}
    assert code_groups(tree) == {"Drinks": ("code", "", ["Coke/diet Coke", "Water"])}
    assert report["not_imported"] == {"set members that are not codes of the codebook": 1}
    assert any("parent code(s) created" in note for note in report["notes"])
    yaml_book = tmp_path / "book.yaml"
    yaml_book.write_text("codes:\n- name: A\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "codebook", "import", str(yaml_book), "--unflatten", "--project", tree
    )
    assert code == 2 and "--unflatten applies to REFI-QDA .qdc codebooks only" in err


def test_import_routes_a_lone_qdpx_to_the_project_import(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.qdpx"
    code, stdout, _err = run(capsys, "export", "qdpx", str(out), "--project", demo, "--json")
    assert code == 0
    exported = json.loads(stdout)
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "import", str(out), "--project", new, "--json")
    assert code == 0
    imported = json.loads(stdout)
    assert imported["file"] == "demo.qdpx"
    assert len(imported["documents_added"]) == exported["documents"] == 24
    assert imported["codings_added"] == exported["codings"] > 0
    assert imported["codes_added"] == exported["codes"]
    assert imported["not_imported"] == {}
    code, stdout, _err = run(capsys, "import", str(out), "--project", new)
    assert code == 0 and "0 document(s) added, 24 already in the project" in stdout


def test_import_passes_unflatten_to_a_qdpx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdpx = sample_path("skyloom__TestProject.qdpx")
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "import", str(qdpx), "--unflatten", "--project", new)
    assert code == 0 and "6 text sources whose file is missing from the .qdpx" in stdout
    paths = all_code_paths(new)
    assert {"Coke/diet Coke", "Coke/full-fat Coke"} <= paths
    assert not any("::" in p for p in paths)


def test_import_refuses_a_qdpx_mixed_with_transcripts(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.qdpx"
    assert run(capsys, "export", "qdpx", str(out), "--project", demo)[0] == 0
    text = tmp_path / "P01.txt"
    text.write_text("Interviewer: Hello.\n\nP01: The lab is slow.\n", encoding="utf-8")
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    for args in (
        [str(text), str(out)],
        [str(out), str(out)],
        [str(out), "--skip-bad"],
        [str(text), "--unflatten"],
    ):
        code, _out, err = run(capsys, "import", *args, "--project", new)
        assert code == 2, args
        assert err.startswith("error:") and len(err.strip().splitlines()) == 1
    _code, _out, err = run(capsys, "import", str(text), str(out), "--project", new)
    assert "a .qdpx is imported on its own: got 1 .qdpx and 1 other argument(s)" in err
    project = open_project(new)
    with project.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
    project.dispose()
    # The transcript alone still imports as before.
    code, stdout, _err = run(capsys, "import", str(text), "--project", new)
    assert code == 0 and "imported 1 document(s)" in stdout
