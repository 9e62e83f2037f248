"""Migration 0006 adds the suggester's tables to a project made by the previous release."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, inspect, select

from qualcode.store import open_project
from qualcode.store.migrate import current_revision, head_revision
from qualcode.store.models import Coding, Suggestion, SuggestionModel, SuggestionRejection

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "release-0.1.0-rev0002.sqlite"


def test_a_release_project_gains_the_suggestion_tables(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    shutil.copy(FIXTURE, path)
    project = open_project(path)
    try:
        assert current_revision(project.engine) == head_revision()
        tables = set(inspect(project.engine).get_table_names())
        assert {"suggestion_models", "suggestions", "suggestion_rejections"} <= tables
        with project.session() as s:
            assert s.scalar(select(func.count()).select_from(Coding)) == 4  # nothing lost
            for model in (Suggestion, SuggestionModel, SuggestionRejection):
                assert s.scalar(select(func.count()).select_from(model)) == 0
    finally:
        project.engine.dispose()
