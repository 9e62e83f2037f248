"""The study codebook, codebook validation, YAML round trips and merging into a project."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import (
    apply_codebook,
    codebook_from_project,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.codebook.model import CodebookError
from qualcode.coding import add_coding, list_codings
from qualcode.store import Project
from qualcode.store.models import Code, Document
from tests.run_cli import cli

STUDY = Path(__file__).resolve().parents[2] / "codebooks" / "prosecutor_barriers.yaml"


def test_study_codebook_has_the_four_barrier_families_with_real_definitions() -> None:
    book = load_codebook(STUDY)
    top = {c.name: c for c in book.codes}
    for family in ("Caseload", "Digital evidence complexity", "Procedural obstacles", "Triage"):
        assert family in top
        assert len(top[family].children) >= 3
        for code in [top[family], *top[family].children]:
            for field in ("description", "inclusion", "exclusion", "example"):
                assert len(getattr(code, field).split()) >= 5, (code.name, field)
    triage = {c.name for c in top["Triage"].children}
    assert {"Plea bargaining", "Dismissal", "Charging priorities"} <= triage
    for extra in (
        "Resources and staffing",
        "Secondary trauma and wellbeing",
        "Recommendations",
        "Caseload share statement",
    ):
        assert extra in top


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("codes:\n- name: A\n- name: A\n", "duplicate code 'A'"),
        ("codes:\n- name: A\n  colour: red\n", "not #rrggbb"),
        ("codes:\n- name: A\n  key: '1'\n- name: B\n  key: '1'\n", "given to both"),
        ("codes:\n- name: A\n  key: q\n", "used by the coding screen"),
        ("codes:\n- name: A\n  key: ab\n", "one lower-case letter or digit"),
        ("codes:\n- name: A\n- name: B\n  parent: Nope\n", "unknown parent"),
        ("codes:\n- name: A\n  parent: B\n- name: B\n  parent: A\n", "unknown parent or a cycle"),
        ("codes:\n- name: A\n  colur: '#ffffff'\n", "unknown fields: colur"),
        ("codes: [unclosed\n", "line"),
        ("just text\n", "expected a mapping"),
    ],
)
def test_bad_codebooks_give_clear_errors(yaml_text: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        parse_codebook(yaml_text)


def test_flat_parent_form_is_accepted() -> None:
    book = parse_codebook("codes:\n- name: B\n  parent: A\n- name: A\n- name: C\n  parent: A/B\n")
    assert [p for p, _s, _par in book.walk()] == ["A", "A/B", "A/B/C"]


def test_yaml_round_trip_is_exact() -> None:
    book = load_codebook(STUDY)
    again = parse_codebook(dump_codebook(book))
    assert again == book


def test_merging_into_a_coded_project_loses_no_coding(project: Project) -> None:
    old = parse_codebook(
        "codes:\n- name: Caseload\n  key: '1'\n  children:\n  - name: Volume of cases\n    key: b\n"
        "- name: Local code\n  key: d\n"
    )
    with project.write() as s:
        apply_codebook(s, old, actor="t")
        s.add(
            Document(
                name="d.txt",
                text="We have too many cases.",
                sha256="x",
                source_name="d",
                source_format="txt",
            )
        )
        s.flush()
        add_coding(
            s, document="d.txt", code="Caseload/Volume of cases", coder="ana", start=0, end=22
        )
        add_coding(s, document="d.txt", code="Local code", coder="ana", start=3, end=7)
    with project.write() as s:
        report = apply_codebook(s, load_codebook(STUDY), actor="t")
    assert "Caseload/Volume of cases" in report.updated
    assert "Triage/Plea bargaining" in report.added
    assert any(m.startswith("d: Local code") for m in report.keys_moved)
    with project.session() as s:
        rows = list_codings(s)
        local = s.scalar(select(Code).where(Code.name == "Local code"))
        n_codes = s.scalar(select(func.count()).select_from(Code))
        merged = codebook_from_project(s)
    assert sorted((r.code, r.start, r.end) for r in rows) == [
        ("Caseload/Volume of cases", 0, 22),
        ("Local code", 3, 7),
    ]
    assert local is not None and local.key is None
    assert n_codes == load_codebook(STUDY).count() + 1
    assert merged.name == load_codebook(STUDY).name
    with project.write() as s:
        again = apply_codebook(s, load_codebook(STUDY), actor="t")
    assert again.added == [] and again.updated == []


def test_every_problem_of_a_codebook_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "codes:\n- name: A\n  colour: red\n- name: B\n  key: q\n- name: C\n  key: '1'\n"
        "- name: D\n  key: '1'\n"
    )
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text)
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("3 problems: code 'A': colour 'red' is not #rrggbb; ")
    assert "used by the coding screen" in str(caught.value)
    assert "given to both 'C' and 'D'" in str(caught.value)
    book = tmp_path / "book.yaml"
    book.write_text(text, encoding="utf-8")
    project = str(tmp_path / "p.db")
    assert cli(capsys, "init", "--project", project)[0] == 0
    code, _, err = cli(capsys, "codebook", "import", str(book), "--project", project)
    assert code == 2
    assert err.count("\n") == 1 and "3 problems" in err and "more)" not in err
