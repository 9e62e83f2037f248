"""The command line as a user scripts it: exit codes, JSON, global options, the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli import hoist_global_options

from ..run_cli import cli as run

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def proj(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.db")
    assert run(capsys, "init", "--project", path)[0] == 0
    return path


def test_global_options_go_anywhere() -> None:
    assert hoist_global_options(["codings", "--json", "--project", "x.db", "--coder=ana"]) == [
        "--project",
        "x.db",
        "--coder=ana",
        "codings",
        "--json",
    ]
    assert hoist_global_options(["memo", "--", "--project"]) == ["memo", "--", "--project"]


def test_script_a_project(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proj = backend_url
    assert run(capsys, "init", "--project", proj)[0] == 0
    text = "Interviewer: What slows you down?\n\nP01: The lab. Eleven months on phones.\n"
    (tmp_path / "P01.txt").write_text(text, encoding="utf-8")
    assert (
        run(
            capsys,
            "codebook",
            "import",
            str(REPO / "codebooks" / "prosecutor_barriers.yaml"),
            "--project",
            proj,
        )[0]
        == 0
    )
    assert run(capsys, "import", str(tmp_path / "P01.txt"), "--project", proj)[0] == 0
    start = text.index("The lab.")
    end = text.index("phones.") + len("phones.")
    code, out, _ = run(
        capsys,
        "code",
        "--document",
        "P01.txt",
        "--code",
        "Digital evidence complexity/Forensic lab backlog",
        "--start",
        str(start),
        "--end",
        str(end),
        "--coder",
        "ana",
        "--project",
        proj,
    )
    assert code == 0, out
    code, out, _ = run(capsys, "codings", "--json", "--project", proj)
    assert code == 0
    assert json.loads(out) == [
        {
            "id": 1,
            "document": "P01.txt",
            "participant": None,
            "code": "Digital evidence complexity/Forensic lab backlog",
            "coder": "ana",
            "start": start,
            "end": end,
            "text": "The lab. Eleven months on phones.",
            "memo": None,
        }
    ]
    code, out, _ = run(capsys, "documents", "--json", "--project", proj)
    (doc,) = json.loads(out)
    assert doc["codings"] == 1 and doc["turns"] == 2
    assert doc["coded_share"] == pytest.approx((end - start) / len(text))


def test_init_names_the_project_and_participants_list_attributes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.commands.project import _print_overview
    from qualcode.store.db import open_project

    proj = str(tmp_path / "named.db")
    assert run(capsys, "init", "--name", "Prosecutors", "--project", proj)[0] == 0
    # init never renames (or touches) a project that is already there
    assert run(capsys, "init", "--name", "Other", "--project", proj)[0] == 2
    (tmp_path / "P01.txt").write_text("P01: The lab is slow.\n", encoding="utf-8")
    assert run(capsys, "import", str(tmp_path / "P01.txt"), "--project", proj)[0] == 0
    csv = tmp_path / "people.csv"
    csv.write_text("participant,document,years\nP01,P01.txt,14\nP02,,2.5\n", encoding="utf-8")
    assert run(capsys, "attributes", "import", str(csv), "--project", proj)[0] == 0
    code, out, _ = run(capsys, "participants", "--json", "--project", proj)
    assert code == 0
    assert json.loads(out) == [
        {"participant": "P01", "documents": ["P01.txt"], "attributes": {"years": 14.0}},
        {"participant": "P02", "documents": [], "attributes": {"years": 2.5}},
    ]
    code, out, _ = run(capsys, "participants", "--project", proj)
    assert code == 0
    assert [line.split() for line in out.splitlines() if "P0" in line] == [
        ["│", "P01", "│", "P01.txt", "│", "14", "│"],
        ["│", "P02", "│", "│", "2.5", "│"],
    ]
    _print_overview(open_project(proj))
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("Prosecutors (")
    assert out.endswith("1 documents, 2 participants, 0 codings")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["code", "-d", "nope", "-c", "x", "-s", "0", "-e", "1", "--coder", "a"],
            "no document 'nope'",
        ),
        (["code", "-d", "nope", "-c", "x", "-s", "0", "-e", "1"], "--coder NAME or QUALCODE_CODER"),
        (["codebook", "import", "/nonexistent.yaml"], "no such codebook file"),
        (["import", "/nonexistent/file.txt"], "missing"),
        (["attributes", "import", "/nonexistent.csv"], "no such file"),
    ],
)
def test_user_errors_exit_2_with_one_clear_line(
    proj: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    code, out, err = run(capsys, *args, "--project", proj)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_missing_project_and_bad_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "documents", "--project", str(tmp_path / "none.db"))
    assert code == 2 and "no project at" in err
    code, _out, err = run(
        capsys, "documents", "--project", "postgresql+psycopg://u:secret@127.0.0.1:1/x"
    )
    assert code == 2 and "cannot open project" in err and "secret" not in err


def test_environment_variables(
    proj: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALCODE_PROJECT", proj)
    monkeypatch.setenv("QUALCODE_CODER", "env-coder")
    code, out, _ = run(capsys, "memo", "Lab delays dominate.", "--title", "first")
    assert code == 0
    code, out, _ = run(capsys, "memos", "--json")
    assert json.loads(out)[0]["body"] == "Lab delays dominate."


def test_a_broken_project_file_is_a_clear_error(proj: str, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    # A read-only project file makes the write fail inside SQLite: an internal error, exit 1.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qualcode.cli import main; main()",
            "memo",
            "x",
            "--coder",
            "a",
            "--project",
            proj,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qualcode.cli import main; main()",
            "documents",
            "--project",
            str(broken),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "file is not a database" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_internal_errors_exit_1_with_one_line(
    proj: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import qualcode.commands.codings as codings_cmd

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(codings_cmd, "list_codings", boom)
    code, out, err = run(capsys, "codings", "--project", proj)
    assert code == 1
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err + out


def test_demo_builds_24_documents_with_participants_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "demo.db")
    assert run(capsys, "demo", "--project", path)[0] == 0
    _code, out, _ = run(capsys, "documents", "--json", "--project", path)
    docs = json.loads(out)
    assert len(docs) == 24
    assert {d["participant"] for d in docs} == {f"P{n:02d}" for n in range(1, 25)}
    assert all(d["turns"] >= 20 for d in docs)
    first_codings = run(capsys, "codings", "--json", "--project", path)[1]
    # --coder on a listing filters, as --by does (and as it does for retrieve, frequencies...)
    coders = {c["coder"] for c in json.loads(first_codings)}
    assert coders == {"okafor", "rivera"}
    for option in ("--coder", "--by"):
        out = run(capsys, "codings", "--json", option, "rivera", "--project", path)[1]
        assert {c["coder"] for c in json.loads(out)} == {"rivera"}, option
    assert run(capsys, "demo", "--json", "--project", path)[0] == 0
    _code, out, _ = run(capsys, "documents", "--json", "--project", path)
    assert len(json.loads(out)) == 24
    assert run(capsys, "codings", "--json", "--project", path)[1] == first_codings
    _code, out, _ = run(capsys, "participants", "--json", "--project", path)
    people = json.loads(out)
    shares = [p["attributes"]["csam_share_pct"] for p in people]
    assert len({p["attributes"]["state"] for p in people}) == 16
    assert (min(shares), max(shares), round(sum(shares) / len(shares), 1)) == (10, 100, 51.1)
