"""Child processes for the crash and concurrency tests (run with ``python -c``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def kill_when(
    proc: subprocess.Popen[str], marker: str, delay: float, timeout: float = 60
) -> list[str]:
    """Read the child's lines until ``marker``, wait ``delay`` seconds, then SIGKILL it.

    Returns every line the child printed (a line is printed only after its work committed).
    """
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.strip() == marker:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            break
    rest, _err = proc.communicate(timeout=timeout)
    lines.extend(x.strip() for x in rest.splitlines())
    return lines
