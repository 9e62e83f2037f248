"""The suggester's tests run on the synthetic study of ``tests/suggest_study.py``, built once
and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode.store import open_project

from ..suggest_study import Study, build_study, study_ids


@pytest.fixture(scope="session")
def study_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("suggest") / "study.db"
    build_study(path)
    return path


@pytest.fixture
def study(study_file: Path, tmp_path: Path) -> Study:
    path = tmp_path / "study.db"
    shutil.copy(study_file, path)
    return study_ids(open_project(path), path)
