"""Run the command line in-process, as a user would call it."""

from __future__ import annotations

import pytest


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``qualcode ARGS`` in-process: (exit code, stdout, stderr)."""
    from qualcode.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
