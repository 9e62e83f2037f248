"""The domain layer knows nothing of the UI: nothing outside qualcode/tui imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
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
