"""Errors that name the real problem: a NUL byte in a CSV file, a schema version that is not
qualcode's, a codebook key given twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ..run_cli import cli


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", path)[0] == 0
    return path


@pytest.mark.parametrize("command", [["attributes", "import"], ["import-codings"]])
def test_a_nul_byte_in_a_csv_file_names_the_file_and_says_csv(
    command: list[str], proj: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b"participant,age\nP01,4\x000\n")
    code, out, err = cli(capsys, "--project", proj, *command, str(path))
    assert code == 2, out + err
    line = " ".join(err.split())
    assert "people.csv" in line and "NUL" in line and "CSV" in line
    assert "transcript" not in line


def _set_revision(proj: str, revision: str) -> None:
    with sqlite3.connect(proj) as conn:
        conn.execute("update alembic_version set version_num = ?", (revision,))


def test_a_garbage_schema_version_is_not_called_newer(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_revision(proj, "zz'; drop")
    code, out, err = cli(capsys, "--project", proj, "documents")
    assert code == 2, out + err
    assert "newer" not in err and "not a qualcode schema version" in err


def test_a_newer_schema_version_is_called_newer(
    proj: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_revision(proj, "0999")
    code, out, err = cli(capsys, "--project", proj, "documents")
    assert code == 2, out + err
    assert "newer than this qualcode" in err


@pytest.mark.parametrize(
    ("yaml_text", "key", "line"),
    [
        ("name: A\nname: B\ncodes:\n  - name: X\n", "name", 2),
        ("codes:\n  - name: X\n    description: one\n    description: two\n", "description", 4),
    ],
)
def test_a_key_given_twice_in_a_codebook_is_refused(
    yaml_text: str,
    key: str,
    line: int,
    proj: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    code, out, err = cli(capsys, "--project", proj, "codebook", "import", str(path))
    assert code == 2, out + err
    flat = " ".join(err.split())
    assert f"{key!r} appears twice" in flat and f"line {line}" in flat
    code, out, _ = cli(capsys, "--project", proj, "codebook", "show")
    assert "X" not in out
