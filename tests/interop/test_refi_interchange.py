"""Interchange without loss (issue 14): what other tools write that used to be dropped or changed
without a word, and what we write that other tools could not read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import xmlschema
from sqlalchemy import select

from qualcode.cli import main
from qualcode.coding.codes import code_paths
from qualcode.errors import QualcodeError
from qualcode.ingest.attributes import import_attributes
from qualcode.interop.qdc import export_qdc, load_qdc
from qualcode.interop.refi.qdpx_export import export_qdpx
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project, open_project
from qualcode.store.models import Attribute, AttributeValue, Code, Participant

from .shared_files import xsd


def g(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-000000000000"


def qdpx(path: Path, qde: str, files: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        for name, text in (files or {}).items():
            zf.writestr(f"sources/{name}", text)
    return path


def project_xml(body: str, origin: str = "Some Tool 1.0") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="{origin}">{body}</Project>'
    )


# -- 2. attribute values that are not finite numbers -----------------------------------------------
@pytest.mark.parametrize("raw", ["inf", "-Infinity", "nan", "NaN"])
def test_a_case_value_that_is_not_a_finite_number_is_refused(
    project: Project, tmp_path: Path, raw: str
) -> None:
    body = f"""
 <Variables><Variable guid="{g(1)}" name="score" typeOfVariable="Float"/></Variables>
 <Cases><Case guid="{g(2)}" name="P1">
  <VariableValue><VariableRef targetGUID="{g(1)}"/><FloatValue>{raw}</FloatValue></VariableValue>
 </Case></Cases>"""
    path = qdpx(tmp_path / "inf.qdpx", project_xml(body))
    with pytest.raises(QualcodeError, match=f"'P1' gives 'score' the value '{raw}'") as err:
        import_qdpx(project, path, actor="test")
    assert "\n" not in str(err.value)
    with project.session() as s:  # nothing half-written
        assert s.scalars(select(Participant)).all() == []
        assert s.scalars(select(Attribute)).all() == []


def test_a_csv_number_that_is_not_finite_is_refused(project: Project, tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("participant,score:number\nP1,3.5\nP2,inf\n")
    with pytest.raises(QualcodeError, match="'score' value 'inf' is not a number"):
        import_attributes(project, csv, actor="test")
    csv.write_text("participant,score\nP1,3.5\nP2,-Infinity\n")  # inferred: kept as text
    report = import_attributes(project, csv, actor="test")
    assert report.attributes == {"score": "text"}


def test_a_stored_infinity_is_left_out_of_the_export_which_stays_valid(
    project: Project, tmp_path: Path
) -> None:
    """Values stored before numbers had to be finite: left out, said, and the file validates."""
    with project.write() as s:
        attr = Attribute(name="score", kind="number")
        person = Participant(label="P1")
        other = Participant(label="P2")
        s.add_all([attr, person, other])
        s.flush()
        s.add(AttributeValue(participant_id=person.id, attribute_id=attr.id, number_value=1e309))
        s.add(AttributeValue(participant_id=other.id, attribute_id=attr.id, number_value=2.0))
    out = tmp_path / "out.qdpx"
    report = export_qdpx(project, out)
    assert any("1 attribute value(s) not written: not a finite number" in n for n in report.notes)
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert "Infinity" not in qde and "<IntegerValue>2</IntegerValue>" in qde
    xmlschema.XMLSchema(str(xsd("Project.xsd"))).validate(qde)


# -- 6. importing a project file into a project that does not exist yet ----------------------------
def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


SMALL = project_xml(
    f"""
 <CodeBook><Codes><Code guid="{g(1)}" name="trust" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="{g(2)}" name="A" plainTextPath="internal://a.txt">
  <PlainTextSelection guid="{g(3)}" name="Hello" startPosition="0" endPosition="5">
   <Coding guid="{g(4)}"><CodeRef targetGUID="{g(1)}"/></Coding></PlainTextSelection>
 </TextSource></Sources>"""
)


def test_import_of_a_qdpx_creates_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = qdpx(tmp_path / "sent.qdpx", SMALL, {"a.txt": "Hello there."})
    db = tmp_path / "sub" / "new.db"
    code, out, err = run(capsys, "import", str(path), "--project", str(db))
    assert code == 0, err
    assert f"created the project {db}" in err and "1 coding(s) added" in out
    code, out, _err = run(capsys, "codings", "--project", str(db), "--json")
    assert code == 0 and [c["code"] for c in json.loads(out)] == ["trust"]


def test_a_failed_import_leaves_no_new_project_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = SMALL.replace('endPosition="5"', 'endPosition="99"')
    broken = qdpx(tmp_path / "broken.qdpx", bad, {"a.txt": "Hello there."})
    db = tmp_path / "new.db"
    code, _out, err = run(capsys, "import", str(broken), "--project", str(db))
    assert code == 2 and "outside its text" in err
    assert not db.exists() and list(tmp_path.iterdir()) == [broken]
    code, _out, err = run(capsys, "import", str(tmp_path / "none.qdpx"), "--project", str(db))
    assert code == 2 and "no such file" in err and not db.exists()


# -- 3. a code name holding "/" -------------------------------------------------------------------
TAGUETTE_QDC = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes>
 <Code guid="{g(1)}" name="trust/distrust" isCodable="true">
  <Code guid="{g(2)}" name="a\\b/c" isCodable="true"/></Code>
 <Code guid="{g(3)}" name="trust" isCodable="true"><Code guid="{g(4)}" name="distrust"
  isCodable="true"/></Code>
</Codes><Sets/></CodeBook>"""


def test_a_slash_in_a_code_name_round_trips_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "taguette.qdc"
    book.write_text(TAGUETTE_QDC)
    db = str(tmp_path / "p.db")
    assert run(capsys, "init", "--project", db)[0] == 0
    code, _out, err = run(capsys, "codebook", "import", str(book), "--project", db)
    assert code == 0, err
    with open_project(db).session() as s:
        names = {c.name for c in s.scalars(select(Code)).all()}
        paths = set(code_paths(s).values())
    assert names == {"trust/distrust", "a\\b/c", "trust", "distrust"}
    assert paths == {"trust\\/distrust", "trust\\/distrust/a\\\\b\\/c", "trust", "trust/distrust"}
    # on the command line the escaped path names the code with the slash, the plain one the child
    doc = tmp_path / "P1.txt"
    doc.write_text("Interviewer: Do you trust them?\nP1: Not at all.\n")
    assert run(capsys, "import", str(doc), "--project", db)[0] == 0
    for ref in ("trust\\/distrust", "trust/distrust"):
        args = ("code", "-d", "P1.txt", "-c", ref, "-s", "0", "-e", "11", "--coder", "ann")
        code, _out, err = run(capsys, *args, "--project", db)
        assert code == 0, err
    code, out, _err = run(capsys, "codings", "--project", db, "--json")
    assert sorted(c["code"] for c in json.loads(out)) == ["trust/distrust", "trust\\/distrust"]
    # and the exports keep every name as it is
    out_qdc, out_qdpx = tmp_path / "out.qdc", tmp_path / "out.qdpx"
    export_qdc(open_project(db), out_qdc)
    export_qdpx(open_project(db), out_qdpx)
    assert [spec.name for _p, spec, _x in load_qdc(out_qdc).walk()] == [
        "trust/distrust",
        "a\\b/c",
        "trust",
        "distrust",
    ]
    again = open_project(tmp_path / "again.db", create=True)
    import_qdpx(again, out_qdpx, actor="test")
    with again.session() as s:
        assert set(code_paths(s).values()) == paths
