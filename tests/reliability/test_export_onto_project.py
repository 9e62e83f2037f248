"""An export never replaces the project it is exported from, nor its -wal, -shm or backups."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ..run_cli import cli

TEXT = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones.\n"


def _project(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / name
    assert cli(capsys, "init", "--project", str(path))[0] == 0
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    assert cli(capsys, "--project", str(path), "import", str(tmp_path / "P01.txt"))[0] == 0
    return path


def _content(path: Path) -> list[str]:
    """The database's content as SQL: its file's bytes may change when SQLite checkpoints its
    write-ahead log on opening or closing, its content may not."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _documents(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("select count(*) from documents").fetchone()[0])


@pytest.mark.parametrize("fmt", ["qdpx", "xlsx", "qdc"])
def test_an_export_onto_the_project_file_is_refused(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, f"study.{fmt}", capsys)
    before = _content(path)
    code, out, err = cli(capsys, "--project", str(path), "export", fmt, str(path))
    assert code == 2, out + err
    assert "project" in err and len(err.strip().splitlines()) == 1
    assert _content(path) == before
    assert _documents(path) == 1


@pytest.mark.parametrize("suffix", ["-wal", "-shm", ".backup-0002-20260101T000000"])
def test_an_export_onto_the_projects_companion_files_is_refused(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, "study.xlsx", capsys)
    companion = path.with_name(path.name + suffix)
    if suffix.startswith(".backup"):
        shutil.copyfile(path, companion)
    # the companion's name must end in the export's suffix: export to a name that is one
    target = companion.with_name(companion.name + ".xlsx")
    target.symlink_to(companion)
    code, out, err = cli(capsys, "--project", str(path), "export", "xlsx", str(target))
    assert code == 2, out + err
    assert _documents(path) == 1


def test_a_csv_export_into_the_projects_folder_spares_a_project_named_like_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, "overview.csv", capsys)
    before = _content(path)
    code, out, err = cli(capsys, "--project", str(path), "export", "csv", str(tmp_path))
    assert code == 2, out + err
    assert _content(path) == before


def test_a_codebook_export_onto_the_project_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, "book.yaml", capsys)
    code, out, err = cli(capsys, "--project", str(path), "codebook", "export", str(path))
    assert code == 2, out + err
    assert _documents(path) == 1
    other = tmp_path / "other.yaml"
    assert cli(capsys, "--project", str(path), "codebook", "export", str(other))[0] == 0
    assert other.read_text(encoding="utf-8").startswith("name:")


def test_the_tui_export_path_refuses_the_project_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.errors import QualcodeError
    from qualcode.interop.export_all import run_export
    from qualcode.store import open_project

    path = _project(tmp_path, "study.qdpx", capsys)
    project = open_project(str(path))
    try:
        with pytest.raises(QualcodeError, match="project"):
            run_export(project, "qdpx", path)
    finally:
        project.dispose()
    assert _documents(path) == 1
