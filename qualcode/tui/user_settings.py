"""The workbench's per-user settings: a small JSON file in the user's config folder.

Who is coding is remembered here, per project, and not in the project: on a shared project (a
team's PostgreSQL server, a shared SQLite file) each person keeps their own name. The folder is
``$QUALCODE_CONFIG_DIR`` if set, else ``$XDG_CONFIG_HOME/qualcode``, else ``~/.config/qualcode``.
The user's own key bindings are the ``"keys"`` entry: binding id -> keys, as the help
screen names them (``{"keys": {"coding.remove": "x,delete"}}``).
Projects are keyed by their SQLite file's path or their database URL without its password.

A missing or unreadable file counts as empty; writes go to a temporary file that replaces the
old one, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from qualcode.store.db import project_key

CONFIG_ENV = "QUALCODE_CONFIG_DIR"
FILE_NAME = "tui.json"
VERSION = 1


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "qualcode"


def settings_file() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any]:
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(data: dict[str, Any]) -> None:
    """Write the settings (raises OSError when the folder cannot be made or written)."""
    target = settings_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({**data, "version": VERSION}, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remembered_coder(url: str) -> str | None:
    """The coder this user last chose for the project, or None."""
    coders = load().get("coders")
    if not isinstance(coders, dict):
        return None
    name = coders.get(project_key(url))
    return (name.strip() or None) if isinstance(name, str) else None


def remember_coder(url: str, coder: str) -> None:
    """Remember ``coder`` for the project (for this user only)."""
    data = load()
    coders = data.get("coders")
    if not isinstance(coders, dict):
        coders = {}
    coders[project_key(url)] = coder
    data["coders"] = coders
    save(data)


def user_keymap() -> object:
    """The ``"keys"`` entry as written (checked by :func:`qualcode.tui.keys.read_keymap`)."""
    return load().get("keys")
