"""Where the interop tests find the shared REFI-QDA material (never copied into the repository).

``../shared/interop`` from the checkout, or ``$QUALCODE_SHARED/interop`` (a worktree sets it).
A test that needs a file skips, with the reason, when the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INTEROP = (Path(os.environ.get("QUALCODE_SHARED") or REPO / ".." / "shared") / "interop").resolve()
SAMPLES = INTEROP / "refi-samples"
XSD = INTEROP / "xsd"
TOOLS = INTEROP / "tools"


def sample(name: str) -> Path:
    """A REFI-QDA sample file; skips the test when the samples are absent."""
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"REFI-QDA samples not found at {SAMPLES} (../shared is absent)")
    return path


def xsd(name: str) -> Path:
    path = XSD / name
    if not path.is_file():
        pytest.skip(f"REFI-QDA schema {name} not found at {XSD} (../shared is absent)")
    return path
