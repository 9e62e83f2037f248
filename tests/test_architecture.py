"""The floors hold: faces (qualcode/tui, qualcode/commands, qualcode/cli.py and a study feature's
``faces`` package) -> domain -> store. Textual stays in the faces and the faces write no SQL (no
SQLAlchemy, no store models); a study feature is one package the general packages reach only
through :mod:`qualcode.features`; the demo study's words stay in the demo and its feature
package."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from qualcode.features import FEATURES

PACKAGE = Path(__file__).resolve().parents[1] / "qualcode"
UI_ONLY = {"textual", "textual_plotext"}
FEATURE_DIRS = [Path(*name.split(".")[1:]) for name in FEATURES]  # caseload
FEATURE_FACES = [d / "faces" for d in FEATURE_DIRS]


def imports(path: Path) -> set[str]:
    """The absolute names a module imports (``from a.b import c``: ``a.b`` and ``a.b.c``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def imported_modules(path: Path) -> set[str]:
    """Top-level packages imported, plus ``qualcode.tui`` when any of it is."""
    found = imports(path)
    tops = {n.split(".")[0] for n in found}
    return tops | ({"qualcode.tui"} if any(_under(n, "qualcode.tui") for n in found) else set())


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def modules(root: Path = PACKAGE) -> list[tuple[Path, Path]]:
    """(path, path relative to qualcode/) of every module."""
    return [(p, p.relative_to(PACKAGE)) for p in sorted(root.rglob("*.py"))]


def is_face(rel: Path) -> bool:
    """The faces: the TUI, the CLI, and the ``faces`` package of each study feature."""
    return (
        rel.parts[0] in ("tui", "commands")
        or rel == Path("cli.py")
        or any(rel.is_relative_to(f) for f in FEATURE_FACES)
    )


def test_no_domain_module_imports_textual_or_the_tui() -> None:
    offenders = []
    for path, rel in modules():
        if is_face(rel):
            continue
        bad = imported_modules(path) & (UI_ONLY | {"qualcode.tui"})
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_the_caseload_faces_are_faces_and_its_domain_is_not() -> None:
    assert is_face(Path("caseload/faces/review_screen.py"))
    assert is_face(Path("caseload/faces/dashboard_panel.py"))
    assert is_face(Path("caseload/faces/command.py"))
    assert not is_face(Path("caseload/domain/accept.py"))
    assert not is_face(Path("caseload/__init__.py"))


def test_a_features_domain_imports_no_face() -> None:
    """Textual, typer and every face package are off limits to a feature's domain modules."""
    faces = ("qualcode.tui", "qualcode.commands", "qualcode.cli")
    offenders = []
    for feature, folder in zip(FEATURES, FEATURE_DIRS, strict=True):
        for path, rel in modules(PACKAGE / folder):
            if is_face(rel):
                continue
            for name in imports(path):
                top = name.split(".")[0]
                face = any(_under(name, f) for f in (*faces, f"{feature}.faces"))
                if top in UI_ONLY | {"typer"} or face:
                    offenders.append(f"{rel}: {name}")
    assert offenders == []
    assert modules(PACKAGE / "caseload" / "domain")  # the walk reaches the modules


def test_general_packages_reach_a_feature_only_through_the_registry() -> None:
    offenders = []
    for path, rel in modules():
        if any(rel.is_relative_to(d) for d in FEATURE_DIRS):
            continue
        for name in imports(path):
            if any(_under(name, feature) for feature in FEATURES):
                offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_the_dashboard_and_the_caseload_faces_never_touch_sqlalchemy() -> None:
    checked = [PACKAGE / "tui/screens/dashboard.py", PACKAGE / "tui/screens/dashboard_panels.py"]
    checked += sorted((PACKAGE / "caseload" / "faces").glob("*.py"))
    offenders = []
    for path in checked:
        for name in imports(path):
            if _under(name, "sqlalchemy") or _under(name, "qualcode.store.models"):
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert len(checked) >= 5 and offenders == []


def test_the_study_is_named_only_in_the_demo_and_its_feature_package() -> None:
    """A social-work project must not meet the demo study's subject in the general packages."""
    word = re.compile("csam", re.IGNORECASE)
    allowed = [Path("demo.py"), *FEATURE_DIRS]
    offenders = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if not path.is_file() or path.suffix not in {".py", ".tcss", ".ini", ".mako", ".md"}:
            continue
        if any(rel == a or rel.is_relative_to(a) for a in allowed):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{rel}:{text.count(chr(10), 0, m.start()) + 1}" for m in word.finditer(text)]
    assert offenders == []
    assert word.search((PACKAGE / "caseload" / "domain" / "measure.py").read_text())


def test_this_test_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text(
        "from textual.app import App\nimport qualcode.store\nfrom qualcode.tui import keys\n",
        encoding="utf-8",
    )
    assert {"textual", "qualcode.tui"} <= imported_modules(sample)
    assert "qualcode.tui.keys" in imports(sample)


def test_importing_the_domain_and_cli_does_not_load_textual() -> None:
    domain = sorted(
        f"qualcode.{p.parent.name}"
        for p in PACKAGE.glob("*/__init__.py")
        if p.parent.name not in ("tui",)
    )
    domain += sorted(f"qualcode.caseload.domain.{p.stem}" for p in modules_of("caseload/domain"))
    assert "qualcode.store" in domain and "qualcode.caseload.domain.sheets" in domain
    code = (
        f"import sys, {', '.join(domain)}, qualcode.cli, qualcode.demo\n"
        "from qualcode.commands import command_modules; command_modules()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def modules_of(folder: str) -> list[Path]:
    return [p for p in sorted((PACKAGE / folder).glob("*.py")) if p.stem != "__init__"]


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
        if rel.parts[0] in FACES or is_face(path.relative_to(PACKAGE)):
            out[".".join(("qualcode", *rel.parts)).removesuffix(".__init__")] = path
    return out


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_faces_import_neither_sqlalchemy_nor_the_models() -> None:
    assert "ignore_imports" not in contracts()["faces-no-sql"]  # no exceptions left
    modules = face_modules()
    assert {"qualcode.cli", "qualcode.commands.project", "qualcode.tui.app"} <= set(modules)
    assert "qualcode.caseload.faces.review_screen" in modules
    offenders = sorted(
        (module, found) for module, path in modules.items() for found in sql_imports(path)
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
    assert floors["type"] == "layers" and "ignore_imports" not in floors
    layers = floors["layers"]
    assert isinstance(layers, list)
    assert layers[0] == "qualcode.cli"
    assert layers[1] == "qualcode.commands : qualcode.tui : qualcode.caseload.faces"
    assert layers[-2:] == ["qualcode.store", "qualcode.errors"]
    packages = {f"qualcode.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    named = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    named_packages = {".".join(n.split(".")[:2]) for n in named}
    assert packages <= named_packages, "every package has a floor"
    faces = found["faces-no-sql"]
    assert faces["type"] == "forbidden"
    assert faces["source_modules"] == [*(f"qualcode.{f}" for f in FACES), "qualcode.caseload.faces"]
    assert faces["forbidden_modules"] == list(SQL)
    feature = found["caseload"]
    assert (feature["containers"], feature["layers"]) == (
        ["qualcode.caseload"],
        ["faces", "domain"],
    )
