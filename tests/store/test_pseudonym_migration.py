"""Migration 0007 (the pseudonym list) on a project made by the previous release: the two new
tables, as the models describe them, and nothing else changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from qualcode.store import Coding, open_project
from qualcode.store.migrate import current_revision
from qualcode.store.models import Base, Pseudonym, PseudonymForm

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.0-rev0002.sqlite"


def test_upgrade_adds_the_pseudonym_tables(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    shutil.copy(FIXTURE, path)
    project = open_project(path)
    try:
        assert current_revision(project.engine) == "0007"
        tables = set(inspect(project.engine).get_table_names())
        assert {"pseudonyms", "pseudonym_forms"} <= tables
        with project.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert [d for d in diff if "pseudonym" in repr(d)] == []
        with project.write() as s:
            p = Pseudonym(pseudonym="[Judge 1]", category="person", status="candidate")
            s.add(p)
            s.flush()
            s.add(PseudonymForm(pseudonym_id=p.id, form="Judge Marsh"))
        with project.session() as s:
            assert len(s.scalars(select(Coding)).all()) == 4  # the release's codings are kept
            judge = s.scalar(select(Pseudonym))
            assert judge is not None and [f.form for f in judge.forms] == ["Judge Marsh"]
    finally:
        project.dispose()
