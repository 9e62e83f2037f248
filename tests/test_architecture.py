"""The floors: the domain knows nothing of the UI (nothing outside qualcode/tui imports
Textual), and the faces write no SQL (no SQLAlchemy, no store models)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "qualcode"
UI_ONLY = {"textual", "textual_plotext"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
            if node.module.startswith("qualcode.tui"):
                names.add("qualcode.tui")
    return names


def test_no_domain_module_imports_textual_or_the_tui() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ("tui",) or rel.name == "cli.py" or rel.parts[0] == "commands":
            continue
        bad = imported_modules(path) & (UI_ONLY | {"qualcode.tui"})
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_this_test_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from textual.app import App\nimport qualcode.store\n", encoding="utf-8")
    assert "textual" in imported_modules(sample)


def test_importing_the_domain_and_cli_does_not_load_textual() -> None:
    domain = sorted(
        f"qualcode.{p.parent.name}"
        for p in PACKAGE.glob("*/__init__.py")
        if p.parent.name not in ("tui",)
    )
    assert "qualcode.store" in domain
    code = (
        f"import sys, {', '.join(domain)}, qualcode.cli, qualcode.demo\n"
        "from qualcode.commands import command_modules; command_modules()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the floors: faces (cli, commands, tui) go through the domain and write no SQL ------------
FACES = ("cli", "commands", "tui")
SQL = ("sqlalchemy", "qualcode.store.models")


def model_names() -> set[str]:
    from qualcode.store import models

    return {
        name
        for name, obj in vars(models).items()
        if isinstance(obj, type) and issubclass(obj, models.Base)
    }


def sql_imports(path: Path) -> set[str]:
    """Which of SQLAlchemy and the store's models a module imports, also through the
    ``qualcode.store`` package, which re-exports the models (import-linter sees only
    ``qualcode.store`` there)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    models = model_names() | {"models"}
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "qualcode.store" and any(a.name in models for a in node.names):
                names.append("qualcode.store.models")
        for name in names:
            found.update(f for f in SQL if name == f or name.startswith(f + "."))
    return found


def face_modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        if rel.parts[0] in FACES:
            out[".".join(("qualcode", *rel.parts)).removesuffix(".__init__")] = path
    return out


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_faces_import_neither_sqlalchemy_nor_the_models() -> None:
    waiting = set()  # the out-of-scope TODO lines of the contract, until their moves land
    for line in contracts()["faces-no-sql"]["ignore_imports"]:  # type: ignore[attr-defined]
        module, forbidden = (part.strip() for part in line.split("->"))
        waiting.add((module, forbidden))
    modules = face_modules()
    assert {"qualcode.cli", "qualcode.commands.project", "qualcode.tui.app"} <= set(modules)
    offenders = sorted(
        (module, found)
        for module, path in modules.items()
        for found in sql_imports(path)
        if (module, found) not in waiting
    )
    assert offenders == []


def test_the_sql_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text(
        "from sqlalchemy.exc import SQLAlchemyError\nfrom qualcode.store import Coder, Project\n",
        encoding="utf-8",
    )
    assert sql_imports(sample) == {"sqlalchemy", "qualcode.store.models"}
    sample.write_text("from qualcode.store.db import Project, StoreError\n", encoding="utf-8")
    assert sql_imports(sample) == set()


def test_the_import_contracts_keep_the_floors() -> None:
    found = contracts()
    floors = found["floors"]
    assert floors["type"] == "layers" and floors["containers"] == ["qualcode"]
    layers = floors["layers"]
    assert isinstance(layers, list)
    assert layers[0] == "cli : commands : tui" and layers[-2:] == ["store", "errors"]
    domain = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {*FACES, "store"}
    named = {name.strip("() ") for layer in layers for name in re.split(r"[|:]", layer)}
    assert domain <= named, "every package has a floor"
    faces = found["faces-no-sql"]
    assert faces["type"] == "forbidden"
    assert faces["source_modules"] == [f"qualcode.{f}" for f in FACES]
    assert faces["forbidden_modules"] == list(SQL)
