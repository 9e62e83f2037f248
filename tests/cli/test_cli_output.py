"""What the command line prints is the project's text as it is: brackets in transcripts, code
names and file names are not Rich markup (they once vanished, or crashed a table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.cli import main

TEXT = "Interviewer: And then?\n\nP01: The judge laughed [laughs]. Eleven months [/] on phones.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    try:
        main(list(args))
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr()
    return capsys.readouterr().out


def test_brackets_in_text_codes_and_names_print_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "p.db")
    source = tmp_path / "P01 [draft].txt"
    source.write_text(TEXT, encoding="utf-8")
    run(capsys, "init", "--project", project)
    run(capsys, "import", str(source), "--project", project)
    run(capsys, "codes", "add", "Other [specify]", "--project", project)
    run(capsys, "codes", "add", "Note [bold]", "--project", project)
    start = TEXT.index("The judge")
    end = TEXT.index("phones.") + len("phones.")
    for code in ("Other [specify]", "Note [bold]"):
        run(
            capsys,
            "code",
            "-d",
            "P01 [draft]",
            "-c",
            code,
            "-s",
            str(start),
            "-e",
            str(end),
            "--project",
            project,
            "--coder",
            "ana",
        )
    listing = run(capsys, "codings", "--project", project)
    assert "[laughs]" in listing and "[/]" in listing
    assert "Other [specify]" in listing
    tree = run(capsys, "codebook", "show", "--project", project)
    assert "Other [specify]" in tree and "Note [bold]" in tree
    documents = run(capsys, "documents", "--project", project)
    assert "[draft]" in documents
    frequencies = run(capsys, "frequencies", "--project", project)
    assert "[specify]" in frequencies and "[bold]" in frequencies


def test_emoji_codes_in_names_print_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rich replaced ``:fire:`` with an emoji in a code's name ("code added: Heat🔥")."""
    project = str(tmp_path / "p.db")
    run(capsys, "init", "--project", project)
    added = run(capsys, "codes", "add", "Heat:fire:", "--project", project)
    assert "Heat:fire:" in added
    tree = run(capsys, "codebook", "show", "--project", project)
    assert "Heat:fire:" in tree and "\N{FIRE}" not in tree
    frequencies = run(capsys, "frequencies", "--project", project)
    assert "Heat:fire:" in frequencies
