"""Share packages: the pseudonymised copy, the .qdpx / .xlsx / CSV exports made from it, the
leak guard that refuses a package holding an original, and a .qdpx that imports into a fresh
project with the same codes and codings on the pseudonymised text."""

from __future__ import annotations

import csv
import os
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qualcode.coding.codes import code_paths
from qualcode.coding.codings import coding_memos
from qualcode.coding.memos import memo_rows
from qualcode.errors import QualcodeError
from qualcode.pseudonyms.copy import original_forms, pseudonymised_copy
from qualcode.pseudonyms.review import replacer
from qualcode.pseudonyms.share import OriginalInPackage, refuse_if_originals
from qualcode.store import Coder, Coding, Document, Participant, Segment, open_project
from qualcode.store.models import AttributeValue, Group
from tests.pseudonyms.study import PLANTED, Study, document_texts
from tests.run_cli import cli

Codings = set[tuple[str, str, str, str]]  # (document, code path, coder, coded text)


def codings_of(project_path: Path | str) -> Codings:
    project = open_project(project_path)
    try:
        with project.session() as s:
            paths = code_paths(s)
            rows = s.execute(
                select(Document.name, Document.text, Coding.code_id, Coder.name)
                .add_columns(Coding.start, Coding.end)
                .join(Document, Coding.document_id == Document.id)
                .join(Coder, Coding.coder_id == Coder.id)
            )
            return {(d, paths[c], k, text[a:b]) for d, text, c, k, a, b in rows}
    finally:
        project.dispose()


def expected_codings(study: Study) -> Codings:
    """Each original coding, on the replaced text: the replaced original slice, widened to
    whole pseudonyms where it began or ended inside a replaced name."""
    with study.project.session() as s:
        replace = replacer(s)
        paths = code_paths(s)
        rows = s.execute(
            select(Document.name, Document.text, Coding.code_id, Coder.name)
            .add_columns(Coding.start, Coding.end)
            .join(Document, Coding.document_id == Document.id)
            .join(Coder, Coding.coder_id == Coder.id)
        ).all()
    out = set()
    for doc, text, code, coder, start, end in rows:
        assert replace.pattern is not None
        for m in replace.pattern.finditer(text):
            if m.start() < start < m.end() or (m.start() == start and end < m.end()):
                start = m.start()
            if m.start() < end < m.end():
                end = m.end()
        out.add((replace(doc), paths[code], coder, replace(text[start:end])))
    return out


def no_original_in(text: str) -> None:
    for term in PLANTED["identifiers"]:
        assert term not in text, term


def test_the_copy_is_replaced_moved_and_private(accepted: Study) -> None:
    originals = document_texts(accepted.project)
    with pseudonymised_copy(accepted.project) as copy:
        assert copy.path is not None
        folder = copy.path.parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        with copy.session() as s:
            texts = {n: t for n, t in s.execute(select(Document.name, Document.text))}
            memos = [m.body for m in memo_rows(s)] + list(coding_memos(s).values())
            groups = [(g.name, g.description) for g in s.scalars(select(Group))]
            values = [v.text_value or "" for v in s.scalars(select(AttributeValue))]
            speakers = {sp for sp in s.scalars(select(Segment.speaker)) if sp}
            labels = set(s.scalars(select(Participant.label)))
        assert set(texts) == set(originals)
        for text in [*texts.values(), *memos, *(a + b for a, b in groups), *values]:
            no_original_in(text)
        assert "[Person 1]" in speakers and "LEON WHITAKER" not in speakers
        assert labels == {"P01", "P02", "P03", "P04", "P05"}
        assert "[Person 2]'s codes" in {g for g, _d in groups}
        assert "[Detective 1] again, see [Judge 1]" in memos
    assert not folder.exists()
    assert codings_of_copy_matches(accepted)


def codings_of_copy_matches(study: Study) -> bool:
    with pseudonymised_copy(study.project) as copy:
        assert copy.path is not None
        got = codings_of(copy.path)
    assert got == expected_codings(study)
    return True


def test_a_copy_needs_accepted_pseudonyms(study: Study) -> None:
    with (
        pytest.raises(QualcodeError, match="no accepted pseudonyms"),
        pseudonymised_copy(study.project),
    ):
        pass


def test_qdpx_share_package_imports_with_the_same_codes_and_codings(
    accepted: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "share" / "study.qdpx"
    code, _out, err = cli(
        capsys,
        "--project",
        str(accepted.path),
        "export",
        "qdpx",
        str(out),
        "--pseudonymised",
        "--quasi",
        "state,office_type",
        "--k",
        "2",
    )
    assert code == 0, err
    readme = tmp_path / "share" / "study.qdpx.README.md"
    assert readme.is_file() and "k-anonymity over state, office_type" in readme.read_text()
    assert sorted(p.name for p in out.parent.iterdir()) == ["study.qdpx", "study.qdpx.README.md"]
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            no_original_in(zf.read(name).decode("utf-8"))
    fresh = tmp_path / "fresh.db"
    code, _out, err = cli(capsys, "--project", str(fresh), "import-qdpx", str(out))
    assert code == 0, err
    with open_project(accepted.path).session() as s:
        wanted_paths = set(code_paths(s).values())
    project = open_project(fresh)
    with project.session() as s:
        assert set(code_paths(s).values()) == wanted_paths
    project.dispose()
    assert codings_of(fresh) == expected_codings(accepted)


def test_xlsx_and_csv_share_packages(
    accepted: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "share.xlsx"
    code, _o, err = cli(
        capsys,
        "--project",
        str(accepted.path),
        "export",
        "xlsx",
        str(book),
        "--pseudonymised",
        "--generalise",
        "state=region,years_experience=band:10",
        "--quasi",
        "state,years_experience",
    )
    assert code == 0, err
    assert (tmp_path / "share.xlsx.README.md").is_file()
    readme = (tmp_path / "share.xlsx.README.md").read_text()
    assert "applied: state=region, years_experience=band:10" in readme
    wb = load_workbook(book, read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    wb.close()
    no_original_in("\n".join(cells))
    assert "Midwest" in cells and "10-19" in cells and "Ohio" not in cells
    folder = tmp_path / "csv"
    code, _o, err = cli(
        capsys, "--project", str(accepted.path), "export", "csv", str(folder), "--pseudonymised"
    )
    assert code == 0, err
    assert (folder / "README.md").is_file()
    with (folder / "coded_segments.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for path in folder.iterdir():
        no_original_in(path.read_text(encoding="utf-8"))
    texts = {(r["document"], r["code"], r["coder"], r["text"]) for r in rows}
    assert texts == expected_codings(accepted)


def test_html_report_share_package(
    accepted: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "share.html"
    code, _o, err = cli(
        capsys, "--project", str(accepted.path), "report", str(out), "--pseudonymised"
    )
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    no_original_in(html)
    assert "[Detective 1]" in html  # the pseudonymised text is what the report quotes
    assert "qualcode-share-" not in html  # named after the project, not its temporary copy
    assert (tmp_path / "share.html.README.md").is_file()
    # the same project's report without --pseudonymised names the detective
    # a second package with the same stem keeps its own README beside the first's
    book = tmp_path / "share.xlsx"
    code, _o, err = cli(
        capsys, "--project", str(accepted.path), "export", "xlsx", str(book), "--pseudonymised"
    )
    assert code == 0, err
    assert (tmp_path / "share.html.README.md").is_file()
    assert (tmp_path / "share.xlsx.README.md").is_file()
    plain = tmp_path / "plain.html"
    assert cli(capsys, "--project", str(accepted.path), "report", str(plain))[0] == 0
    assert "Oduya" in plain.read_text(encoding="utf-8")


def test_unreviewed_identifiers_are_left_and_said(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(study.path)
    assert cli(capsys, "--project", db, "pseudonyms", "accept", "[Detective 1]")[0] == 0
    out = tmp_path / "share.qdpx"
    code, _o, err = cli(capsys, "--project", db, "export", "qdpx", str(out), "--pseudonymised")
    assert code == 0, err
    assert "identifier(s) still unreviewed were left as they are" in err
    with zipfile.ZipFile(out) as zf:
        texts = "\n".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("sources/"))
    assert "Oduya" not in texts and "[Detective 1]" in texts and "Greg Petrakis" in texts
    readme = (tmp_path / "share.qdpx.README.md").read_text(encoding="utf-8")
    assert "still unreviewed: 30" in readme


def test_an_original_left_in_the_output_refuses_the_export(
    accepted: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _o, _e = cli(capsys, "--project", str(accepted.path), "codes", "add", "Petrakis")
    assert code == 0
    out = tmp_path / "share.qdpx"
    code, _stdout, err = cli(
        capsys, "--project", str(accepted.path), "export", "qdpx", str(out), "--pseudonymised"
    )
    assert code == 2
    assert "refused" in err and "'Petrakis'" in err and "nothing was written" in err
    assert len(err.strip().splitlines()) == 1
    assert all(name.startswith("study.db") for name in os.listdir(tmp_path))


def test_refuse_if_originals_reads_zips_folders_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<t>O&apos;Brien&#32;said</t>", encoding="utf-8")
    with pytest.raises(OriginalInPackage):
        refuse_if_originals([tmp_path], ["O'Brien"])
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        zf.writestr("x.txt", "met KIM ODUYA")
    with pytest.raises(OriginalInPackage, match=r"b\.zip:x\.txt"):
        refuse_if_originals([tmp_path / "b.zip"], ["Kim Oduya"])
    refuse_if_originals([tmp_path / "b.zip"], ["Oduy", "Ki"])  # no whole word there: no hit


def test_export_key_is_a_file_of_its_own(
    accepted: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "key.csv"
    code, _o, err = cli(
        capsys, "--project", str(accepted.path), "pseudonyms", "export-key", str(key)
    )
    assert code == 0, err
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with key.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["original"] for r in rows} == set(original_forms(accepted.project))
    assert {"pseudonym": "[Detective 1]", "category": "person", "original": "Kim Oduya"} in rows
