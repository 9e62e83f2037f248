"""A database password never shows: not in an error, not in the audit log, not when it holds an
unencoded ``@``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from qualcode.store import open_project
from qualcode.store.db import mask_password
from qualcode.store.models import AuditEntry

from ..run_cli import cli

SECRET = "Hush7731"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://ana:Hush7731@db.example/study",
            "postgresql+psycopg://ana:***@db.example/study",
        ),
        ("postgresql+psycopg://ana:Hu@sh7731@db/study", "postgresql+psycopg://ana:***@db/study"),
        ("postgresql+psycopg://ana:Hu/s?h@7731@db/study", "postgresql+psycopg://ana:***@db/study"),
        (
            "postgresql+psycopg://ana@db/study?password=Hush7731&x=1",
            "postgresql+psycopg://ana@db/study?password=***&x=1",
        ),
        ("postgresql+psycopg://db/study", "postgresql+psycopg://db/study"),
    ],
)
def test_mask_password(url: str, shown: str) -> None:
    assert mask_password(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://ana:{SECRET}@127.0.0.1:notaport/study",
        f"post gres://ana:{SECRET}@127.0.0.1/study",
        f"postgresql+psycopg://ana:Hu@{SECRET}@127.0.0.1:1/study",  # an unencoded '@'
    ],
)
def test_a_bad_or_unreachable_url_never_shows_the_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--project", url, "documents")
    assert code == 2, out + err
    assert SECRET not in out + err and "Hu@" not in out + err
    assert "***" in err


@pytest.fixture
def secret_url(pg_url: str) -> Iterator[str]:
    """The test database's URL with a role whose password is SECRET (the database's owner)."""
    role = f"qc_role_{uuid.uuid4().hex[:8]}"
    database = make_url(pg_url).database
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'"))
        conn.execute(text(f'ALTER DATABASE "{database}" OWNER TO {role}'))
    try:
        yield (
            make_url(pg_url)
            .set(username=role, password=SECRET)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER'))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE usename = '{role}'"
                )
            )
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


@pytest.mark.postgres
def test_not_a_project_never_shows_the_password(
    secret_url: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id int)"))
    admin.dispose()
    code, out, err = cli(capsys, "--project", secret_url, "documents")
    assert code == 2, out + err
    assert "not a qualcode project" in err
    assert SECRET not in out + err


@pytest.mark.postgres
def test_merge_never_stores_or_prints_the_password(
    secret_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "init", "--project", secret_url)[0] == 0
    here = str(tmp_path / "here.db")
    assert cli(capsys, "init", "--project", here)[0] == 0
    code, out, err = cli(capsys, "--project", here, "--coder", "ana", "merge", secret_url)
    assert code == 0, err
    assert SECRET not in out + err
    project = open_project(here)
    try:
        with project.session() as s:
            details = [e.detail for e in s.scalars(select(AuditEntry))]
    finally:
        project.dispose()
    assert any(d and "***" in str(d.get("source")) for d in details)
    assert SECRET not in json.dumps(details)
