"""Opening an up-to-date project skips Alembic; that shortcut names the head revision."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qualcode.store.migrate import HEAD, head_revision


def test_the_head_constant_is_alembics_head() -> None:
    assert head_revision() == HEAD


def test_opening_a_project_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    from qualcode.store.db import open_project

    open_project(str(path), create=True).engine.dispose()
    code = (
        "import sys\n"
        "from qualcode.store.db import open_project\n"
        f"open_project({str(path)!r})\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
