"""The suggester on both backends: train, list, accept (undo), reject, similar."""

from __future__ import annotations

from sqlalchemy import select

from qualcode.coding.history import History
from qualcode.store import open_project
from qualcode.store.models import Coder, Coding, SuggestionRejection
from qualcode.suggest.similar import similar_passages
from qualcode.suggest.suggestions import accept_edit, chosen, list_suggestions, reject_ids
from qualcode.suggest.train import train_suggester

from ..suggest_study import build_study, study_ids


def test_the_suggester_works_the_same_on_each_backend(backend_url: str) -> None:
    build_study(backend_url)
    study = study_ids(open_project(backend_url), backend_url)
    project = study.project
    try:
        report = train_suggester(project)
        assert {c.code for c in report.offered} == {"Lab", "Plea"}
        with project.session() as s:
            rows = list_suggestions(s)
            assert rows and {r.document for r in rows} <= {"P7.txt", "P8.txt"}
            edit = accept_edit(s, chosen(s, [rows[0].id]))
        history = History(project, "cy")
        history.apply(edit)
        with project.session() as s:
            cy = s.scalars(select(Coding.start).join(Coder).where(Coder.name == "cy")).all()
            assert cy == [rows[0].start]
        history.undo()
        assert reject_ids(project, [rows[1].id], "cy") == 1
        with project.session() as s:
            assert s.scalars(select(SuggestionRejection.start)).all() == [rows[1].start]
            assert rows[0].id in {r.id for r in list_suggestions(s)}
            assert rows[1].id not in {r.id for r in list_suggestions(s)}
            coding = s.scalars(select(Coding.id).order_by(Coding.id)).first()
            assert coding is not None
            assert similar_passages(s, coding, limit=3).passages
    finally:
        project.dispose()
