"""Opening a project: engines, sessions and schema upgrades.

A project is one SQLite file or any SQLAlchemy URL (PostgreSQL for a team server).
Use one session per unit of work::

    project = open_project("qualcode.db")
    with project.session() as s, s.begin():
        ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.errors import QualcodeError

__all__ = [
    "Project",
    "Session",
    "StoreError",
    "create_private_file",
    "mask_password",
    "open_project",
    "project_key",
    "resolve_url",
    "sqlite_path",
    "url_for_humans",
]

#: What the store raises when the database itself fails (lost connection, lock timeout, a
#: constraint): faces catch this name, show the first line and carry on. They use ``Session``
#: only as the type of what :meth:`Project.session` hands them, and never import SQLAlchemy.
StoreError = SQLAlchemyError

DEFAULT_PROJECT = "qualcode.db"
#: How long a SQLite writer waits for another's write lock (an import holds it for its whole
#: transaction) before giving up with :data:`qualcode.errors.BUSY`; ``QUALCODE_BUSY_TIMEOUT``
#: (seconds) changes it.
SQLITE_BUSY_TIMEOUT_MS = 60_000


def busy_timeout_ms() -> int:
    """The SQLite busy timeout in milliseconds (``QUALCODE_BUSY_TIMEOUT`` seconds, if set)."""
    value = os.environ.get("QUALCODE_BUSY_TIMEOUT", "").strip()
    try:
        return max(0, int(float(value) * 1000)) if value else SQLITE_BUSY_TIMEOUT_MS
    except ValueError:
        raise QualcodeError(
            f"QUALCODE_BUSY_TIMEOUT={value!r}: give the seconds to wait, e.g. 60"
        ) from None


def resolve_url(project: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--project`` / ``QUALCODE_PROJECT`` / the default into a SQLAlchemy URL: a value
    with ``scheme://`` is a URL, anything else the path of a SQLite file."""
    value = os.fspath(project) if project else os.environ.get("QUALCODE_PROJECT") or ""
    value = value or DEFAULT_PROJECT
    if "://" in value:
        try:
            parsed = make_url(value)
        except (ArgumentError, ValueError):
            shown = mask_password(value)
            raise QualcodeError(f"not a valid database URL: {shown!r}") from None
        if "@" in (parsed.host or ""):
            raise QualcodeError(
                f"{mask_password(value)}: the password holds an '@'; write it as %40 in a URL"
            )
        return value
    # a path is a path: built as a URL object, '?', '#' and '%' in it are quoted, not a query
    path = str(Path(value).expanduser().resolve())
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (0600), unless it exists.

    SQLite then opens it as an empty database and gives the ``-wal``, ``-shm`` and ``-journal``
    files it makes beside it the same mode, so transcripts are never world-readable."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a database kind or driver SQLAlchemy does not have, or whose
    Python package is not installed, is refused in one line."""
    parsed = make_url(url)
    try:
        return _make_engine(url, parsed)
    except NoSuchModuleError:
        raise QualcodeError(
            f"cannot open project {url_for_humans(url)}: no database driver "
            f"{parsed.drivername!r} (qualcode works with sqlite:// and postgresql+psycopg://)"
        ) from None
    except ImportError as exc:
        raise QualcodeError(
            f"cannot open project {url_for_humans(url)}: the Python package for "
            f"{parsed.drivername!r} is not installed ({exc.name or exc})"
        ) from None
    except (ArgumentError, TypeError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QualcodeError(f"cannot open project {url_for_humans(url)}: {reason}") from None


def _make_engine(url: str, parsed: URL) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms() / 1000}, future=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy emit BEGIN itself so that a transaction takes its lock up front
        # with BEGIN IMMEDIATE for writers (see Project.write).
        event.listen(engine, "connect", _disable_pysqlite_transactions)
        event.listen(engine, "begin", _emit_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, future=True)


def _disable_pysqlite_transactions(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None


def _emit_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("qualcode_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass
class Project:
    """An open project: its URL, engine and session factory."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]
    write_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        return url_for_humans(self.url)

    def session(self) -> Session:
        """A new session for one unit of work (read, or write with ``s.begin()``)."""
        return self.factory()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers
        wait on the busy timeout instead of failing half-way through.
        """
        with self.write_factory() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


def open_project(
    project: str | os.PathLike[str] | None = None,
    *,
    create: bool = False,
    upgrade: bool = True,
    exist_ok: bool = True,
) -> Project:
    """Open (and with ``create`` make) a project, upgrading an older schema after a backup;
    with ``exist_ok`` false, a location that already holds a project is refused.

    Raises QualcodeError when the project does not exist and ``create`` is false, or when the
    database cannot be reached.
    """
    from qualcode.store.migrate import ensure_schema

    url = resolve_url(project)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise QualcodeError(
                f"no project at {path}; create one with 'qualcode init' or 'qualcode demo'"
            )
        if path.exists() and path.is_dir():
            raise QualcodeError(f"{path} is a folder, not a project file")
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)
    engine = make_engine(url)
    try:
        ensure_schema(engine, url, create=create, upgrade=upgrade, exist_ok=exist_ok)
    except DatabaseError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise QualcodeError(f"cannot open project {url_for_humans(url)}: {reason}") from exc
    except Exception:
        engine.dispose()
        raise
    factory = sessionmaker(engine, expire_on_commit=False)
    writer = engine.execution_options(qualcode_begin="IMMEDIATE")
    write_factory = sessionmaker(writer, expire_on_commit=False)
    return Project(url=url, engine=engine, factory=factory, write_factory=write_factory)


def mask_password(url: str, mask: str | None = "***") -> str:
    """The URL as text with its password replaced by ``mask`` (left out when None), in the
    user part and as a ``password=`` / ``passfile=`` query value.

    Done on the text, not on a parsed URL: a password with an unencoded ``@`` (``ana:Hu@sh@db``)
    is parsed as ``Hu`` and a host ``sh@db``, which would show half of it. Everything from the
    ``:`` after the user name to the last ``@`` is taken as the password, so a URL never shows
    more than it should (a stray ``@`` further on hides more, never less)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    at = rest.rfind("@")
    if at >= 0:
        user, colon, _password = rest[:at].partition(":")
        kept = f"{user}:{mask}" if colon and mask is not None else user
        rest = f"{kept}@{rest[at + 1 :]}"
    head, q, query = rest.partition("?")
    if q:
        parts = []
        for part in query.split("&"):
            key = part.partition("=")[0]
            if key.lower() in {"password", "passfile"}:
                if mask is None:
                    continue
                part = f"{key}={mask}"
            parts.append(part)
        rest = f"{head}?{'&'.join(parts)}" if parts else head
    return f"{scheme}://{rest}"


def project_key(url: str) -> str:
    """A SQLite project's file path, or the URL with no password (in it or in its query)."""
    path = sqlite_path(url)
    if path is not None:
        return str(path.expanduser().resolve())
    return mask_password(url, mask=None)


def url_for_humans(url: str) -> str:
    """A SQLite project's file path, or the URL with its password masked."""
    path = sqlite_path(url)
    return str(path) if path else mask_password(url)
