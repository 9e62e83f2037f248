"""Start-up: a command imports only its own module; the help lists every command, grouped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from qualcode.commands import COMMANDS, PANELS, command_modules, feature_command_modules
from qualcode.commands.lazy import build_commands
from tests.run_cli import cli

HEAVY = ("spacy", "pandas", "textual", "openpyxl", "alembic", "numpy", "matplotlib")


RUN = [sys.executable, "-c", "from qualcode.cli import main; main()"]
TEXT = "Interviewer: Why?\n\nP01: The lab. It takes months.\n"


def _project_with_a_document(tmp_path: Path) -> str:
    project = str(tmp_path / "p.db")
    source = tmp_path / "P01.txt"
    source.write_text(TEXT, encoding="utf-8")
    subprocess.run([*RUN, "init", "--project", project], check=True, capture_output=True)
    subprocess.run([*RUN, "import", str(source), "--project", project], check=True)
    return project


def _run_noting_heavy(
    project: str, *args: str, heavy: tuple[str, ...] = HEAVY
) -> tuple[str, list[str]]:
    """What a command prints, and the ``heavy`` libraries it imported."""
    code = (
        "import sys, json\n"
        "from qualcode.cli import main\n"
        "try:\n"
        f"    main(['--project', {project!r}, *{list(args)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "finally:\n"
        f"    print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})),"
        " file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout, json.loads(out.stderr.strip().splitlines()[-1])


def test_documents_json_imports_no_heavy_library(tmp_path: Path) -> None:
    project = _project_with_a_document(tmp_path)
    out, heavy = _run_noting_heavy(project, "documents", "--json")
    assert json.loads(out)[0]["document"] == "P01.txt"
    assert heavy == []


def test_retrieve_imports_no_heavy_library(tmp_path: Path) -> None:
    """Retrieval reads stored units: no spaCy; the writers load only to save (``--out``)."""
    project = _project_with_a_document(tmp_path)
    subprocess.run([*RUN, "codes", "add", "Lab", "--project", project], check=True)
    start = TEXT.index("The lab.")
    coded = [*RUN, "code", "-d", "P01.txt", "-c", "Lab", "-s", str(start), "-e", str(start + 8)]
    subprocess.run(
        [*coded, "--project", project],
        check=True,
        capture_output=True,
        env={**os.environ, "QUALCODE_CODER": "ana"},
    )
    out, heavy = _run_noting_heavy(project, "retrieve", "Lab", "--json")
    assert "The lab." in out
    assert heavy == []


def test_import_codings_cooccurrence_and_refi_exports_import_no_heavy_library(
    tmp_path: Path,
) -> None:
    """Reading codings from CSV and counting co-occurrence need no table library; a REFI-QDA
    codebook or project is XML, so PyYAML (the YAML codebook's) is not loaded either."""
    project = _project_with_a_document(tmp_path)
    for code in ("Lab", "Time"):
        subprocess.run([*RUN, "codes", "add", code, "--project", project], check=True)
    lab, months = TEXT.index("The lab."), TEXT.index("It takes months.")
    rows = tmp_path / "codings.csv"
    rows.write_text(
        "document,code,coder,start,end\n"
        f"P01.txt,Lab,ana,{lab},{lab + 8}\nP01.txt,Time,ana,{months},{months + 16}\n"
    )
    out, heavy = _run_noting_heavy(project, "import-codings", str(rows))
    assert "2 coding(s) added" in out
    assert heavy == []
    out, heavy = _run_noting_heavy(project, "cooccurrence", "--unit", "turn", "--json")
    pair = {"code_a": "Lab", "code_b": "Time", "count": 1, "documents": 1}
    assert json.loads(out)["pairs"] == [pair]  # one turn holds both
    assert heavy == []
    for kind in ("qdc", "qdpx"):
        target = tmp_path / f"out.{kind}"
        _, heavy = _run_noting_heavy(project, "export", kind, str(target), heavy=(*HEAVY, "yaml"))
        assert target.stat().st_size > 0
        assert heavy == [], kind


def test_frequencies_imports_no_heavy_library(tmp_path: Path) -> None:
    """Counting codes prints plain rows (tables.frequency_records): no pandas (0.3 s of CPU)."""
    project = _project_with_a_document(tmp_path)
    subprocess.run([*RUN, "codes", "add", "Lab", "--project", project], check=True)
    code = [*RUN, "--project", project, "--coder", "ann", "code", "-d", "P01.txt", "-c", "Lab"]
    subprocess.run([*code, "-s", "0", "-e", "12"], check=True)
    out, heavy = _run_noting_heavy(project, "frequencies", "--json")
    assert [(r["code"], r["codings"]) for r in json.loads(out)["rows"]] == [("Lab", 1)]
    assert heavy == []


def test_every_command_a_module_registers_is_named_in_the_registry() -> None:
    features = set(build_commands(feature_command_modules()))
    registered = set(build_commands(command_modules())) - features
    named = [e.name for e in COMMANDS]
    assert len(named) == len(set(named))
    assert registered == set(named)
    assert {e.panel for e in COMMANDS} == set(PANELS)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--version")
    assert code == 0
    assert out.strip() == f"qualcode {version('qualcode')}"


def test_version_opens_no_project(tmp_path: Path) -> None:
    """``--version`` loads neither the store nor SQLAlchemy (a project loads them when opened)."""
    out, heavy = _run_noting_heavy(
        str(tmp_path / "none.db"), "--version", heavy=("sqlalchemy", *HEAVY)
    )
    assert out.strip() == f"qualcode {version('qualcode')}"
    assert heavy == []
    assert not (tmp_path / "none.db").exists()


def test_the_help_groups_commands_as_a_user_works(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    places = [out.index(f"─ {panel} ─") for panel in PANELS]
    assert places == sorted(places)
    for e in COMMANDS:  # each command under its own panel
        panel = PANELS.index(e.panel)
        end = places[panel + 1] if panel + 1 < len(places) else len(out)
        assert f"│ {e.name} " in out[places[panel] : end], e.name
    assert "caseload" in out  # a study feature's command is listed too
    assert "<bool>" not in out and "``" not in out


def test_a_command_help_shows_no_bool_and_no_backticks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for args in (["import", "--help"], ["export", "xlsx", "--help"], ["codes", "add", "--help"]):
        code, out, _ = cli(capsys, *args)
        assert code == 0, args
        assert "--help" in out
        assert "<bool>" not in out and "``" not in out, args


def test_ctrl_c_during_an_import_says_nothing_was_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import qualcode.ingest.importer as importer

    project = str(tmp_path / "p.db")
    for n in (1, 2, 3):
        (tmp_path / f"P0{n}.txt").write_text(f"Interviewer: Why?\n\nP0{n}: Lab.\n", "utf-8")
    assert cli(capsys, "init", "--project", project)[0] == 0
    real = importer.read_transcript
    calls: list[Path] = []

    def interrupted_on_the_third(path: Path) -> object:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(importer, "read_transcript", interrupted_on_the_third)
    code, out, err = cli(capsys, "import", str(tmp_path), "--project", project)
    assert code == 130
    assert err.strip() == "interrupted: nothing was imported"
    monkeypatch.undo()
    code, out, _ = cli(capsys, "documents", "--json", "--project", project)
    assert code == 0 and json.loads(out) == []


def test_the_workbench_starts_without_spacy_or_pandas() -> None:
    """`qualcode` opens the TUI: its app module loads no NLP or table library (they load when
    a screen that needs them opens, e.g. the dashboard)."""
    code = (
        "import sys, json, qualcode.tui.app\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{set(HEAVY) - {'textual'}!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
