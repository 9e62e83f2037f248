"""Fixtures shared by the whole suite: temporary projects on SQLite and on PostgreSQL.

PostgreSQL tests use a real server: ``QUALCODE_TEST_PG_URL`` (default: the local server that
``.ci/run`` starts). Where none is reachable they skip with the reason, unless
``QUALCODE_REQUIRE_PG=1`` (set by CI), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qualcode.store import Project, open_project

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
DEFAULT_PG = "postgresql+psycopg://qualcode:qualcode@127.0.0.1:5432/qualcode_test"


def pg_admin_url() -> str:
    return os.environ.get("QUALCODE_TEST_PG_URL", DEFAULT_PG)


_pg_problem: str | None = None
_pg_checked = False


def pg_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    global _pg_checked, _pg_problem
    if not _pg_checked:
        _pg_checked = True
        try:
            engine = create_engine(pg_admin_url(), connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # any failure means: no usable server
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _pg_problem = f"no PostgreSQL reachable at {pg_admin_url()}: {first}"
    return _pg_problem


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    problem = pg_unavailable()
    if problem:
        if os.environ.get("QUALCODE_REQUIRE_PG"):
            pytest.fail(problem)
        pytest.skip(problem + " (set QUALCODE_TEST_PG_URL, or run .ci/run)")
    admin = make_url(pg_admin_url())
    name = f"qc_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A project location on each backend: a SQLite file, and a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "project.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_project(backend_url: str) -> Iterator[Project]:
    """A new, empty project on each backend."""
    project = open_project(backend_url, create=True)
    yield project
    project.dispose()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A new, empty SQLite project."""
    p = open_project(tmp_path / "project.db", create=True)
    yield p
    p.dispose()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared test data not found at {SHARED}")
    return SHARED
