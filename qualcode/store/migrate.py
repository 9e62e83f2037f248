"""Schema creation and upgrades with Alembic, with a backup before upgrading a project.

Alembic is imported only when a project is not at :data:`HEAD` (new, or older): opening a
project that is up to date reads its revision with one query.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from qualcode.errors import QualcodeError
from qualcode.store.db import create_private_file, sqlite_path, url_for_humans

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
#: the form of qualcode's revision ids ("0003"), which count up
REVISION = re.compile(r"\d{4}")

#: the newest revision in migrations/versions; tests/store/test_head_revision.py checks it against
#: Alembic's head, so a new migration must change it
HEAD = "0005"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, revision: str | None) -> Path:
    """Copy a SQLite project (consistently, WAL included) next to itself, owner-only."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision or 'unversioned'}-{stamp}")
    create_private_file(target)
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _recorded(engine: Engine) -> list[str] | None:
    """The revisions the project records (None when there is no readable record: the full
    check then says why)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except Exception:
        return None
    return [r[0] for r in rows]


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def ensure_schema(
    engine: Engine, url: str, *, create: bool, upgrade: bool = True, exist_ok: bool = True
) -> None:
    """Bring the database to the newest schema.

    A new, empty database is created at head. An older project is first backed up (SQLite:
    a copy next to the file) and then upgraded. A project newer than this qualcode is refused,
    and so is any project when ``exist_ok`` is false (``init`` makes only new ones).
    """
    recorded = _recorded(engine)
    if recorded and not exist_ok:
        raise QualcodeError(
            f"{url_for_humans(url)} is already a qualcode project; 'init' makes only new ones"
        )
    if recorded == [HEAD]:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return
    tables = set(inspect(engine).get_table_names())
    if current is None and tables - {"alembic_version"}:
        raise QualcodeError(f"{url_for_humans(url)} holds tables but is not a qualcode project")
    if current is None and not create:
        raise QualcodeError("the database is empty; create a project with 'qualcode init'")
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and not _known(script, current):
        if REVISION.fullmatch(current) and current > head:
            raise QualcodeError(
                f"the project's schema ({current}) is newer than this qualcode; upgrade qualcode"
            )
        raise QualcodeError(
            f"the project's schema version {current[:40]!r} is not a qualcode schema version "
            "(the database was not made by qualcode, or its alembic_version table is damaged)"
        )
    if current is not None and not upgrade:
        raise QualcodeError(f"the project's schema ({current}) needs an upgrade to {head}")
    backup: Path | None = None
    if current is not None:
        path = sqlite_path(url)
        if path is not None:
            backup = backup_sqlite(path, current)
    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        if current is None:
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        kept = f"; a backup is at {backup}" if backup else ""
        raise QualcodeError(
            f"upgrading the project from schema {current} failed ({reason}); "
            f"the project was left as it was{kept}"
        ) from exc
