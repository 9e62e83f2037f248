"""The REFI-QDA commands as a user runs them: export qdc/qdpx, import-qdpx, codebook import."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from qualcode.cli import main
from qualcode.demo import build_demo
from qualcode.store import open_project

REPO = Path(__file__).resolve().parents[2]
SAMPLES = (REPO / ".." / "shared" / "interop" / "refi-samples").resolve()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


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
    sample = SAMPLES / "skyloom__TestProject.qdpx"
    if not sample.is_file():
        pytest.skip(f"REFI-QDA samples not found at {SAMPLES} (../shared is absent)")
    new = str(tmp_path / "new.db")
    assert run(capsys, "init", "--project", new)[0] == 0
    code, stdout, _err = run(capsys, "import-qdpx", str(sample), "--unflatten", "--project", new)
    assert code == 0
    assert "not imported:" in stdout
    assert "6 text sources whose file is missing from the .qdpx" in stdout
    assert "2 video sources" in stdout
