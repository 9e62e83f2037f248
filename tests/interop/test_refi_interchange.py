"""Interchange without loss (issue 14): what other tools write that used to be dropped or changed
without a word, and what we write that other tools could not read."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema
from sqlalchemy import select

from qualcode.codebook.edit import add_code
from qualcode.coding.codes import code_paths
from qualcode.coding.codings import add_coding
from qualcode.coding.memos import add_memo, memo_rows
from qualcode.errors import QualcodeError
from qualcode.ingest import import_files
from qualcode.ingest.attributes import import_attributes
from qualcode.interop.qdc import export_qdc, load_qdc
from qualcode.interop.refi.qdpx_export import export_qdpx
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project, open_project
from qualcode.store.models import Attribute, AttributeValue, Code, Participant

from ..run_cli import cli as run
from .shared_files import TOOLS, xsd


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
        import_attributes(project, csv, actor="test", ranges={})
    csv.write_text("participant,score\nP1,3.5\nP2,-Infinity\n")  # inferred: not a number
    with pytest.raises(
        QualcodeError, match=r"'score' mixes numbers \(1\) and words \('-Infinity'\)"
    ):
        import_attributes(project, csv, actor="test", ranges={})
    csv.write_text("participant,score:text\nP1,3.5\nP2,-Infinity\n")  # as text, on request
    report = import_attributes(project, csv, actor="test", ranges={})
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


# -- 1. selections without a coding, and QualCoder's annotations ----------------------------------
PASSAGES_TEXT = "Interviewer: How is the lab? 😀\r\nP1: Slow. Eleven months on phones.\r\n"


def at(word: str, text: str = PASSAGES_TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def passages_qde() -> str:
    slow, months, phones, lab = at("Slow."), at("Eleven months"), at("phones"), at("lab")
    return project_xml(
        f"""
 <Users><User guid="{g(1)}" name="Mia"/><User guid="{g(2)}" name="Qin"/></Users>
 <CodeBook><Codes><Code guid="{g(3)}" name="pace" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="{g(10)}" name="P1" plainTextPath="internal://p1.txt">
  <PlainTextSelection guid="{g(11)}" name="Slow." startPosition="{slow[0]}"
   endPosition="{slow[1]}" creatingUser="{g(1)}" creationDateTime="2024-02-03T04:05:06Z">
   <Description>MAXQDA: a commented segment</Description></PlainTextSelection>
  <PlainTextSelection guid="{g(12)}" name="Waiting time" startPosition="{months[0]}"
   endPosition="{months[1]}" creatingUser="{g(2)}">
   <NoteRef targetGUID="{g(20)}"/></PlainTextSelection>
  <PlainTextSelection guid="{g(13)}" name="phones" startPosition="{phones[0]}"
   endPosition="{phones[1]}"/>
  <PlainTextSelection guid="{g(14)}" name="Slow." startPosition="{slow[0]}"
   endPosition="{slow[1]}"><Description>coded: a coding memo</Description>
   <Coding guid="{g(15)}" creatingUser="{g(1)}"><CodeRef targetGUID="{g(3)}"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="{g(16)}" name="lab" startPosition="{lab[0]}" endPosition="{lab[1]}">
   <Description>coded with a code the file lacks</Description>
   <Coding guid="{g(17)}"><CodeRef targetGUID="{g(99)}"/></Coding></PlainTextSelection>
  <NoteRef targetGUID="{g(21)}"/>
 </TextSource></Sources>
 <Notes>
  <Note guid="{g(20)}" name="Quotation comment" creatingUser="{g(2)}">
   <PlainTextContent>ATLAS.ti: a comment on an uncoded quotation</PlainTextContent></Note>
  <Note guid="{g(21)}" modifyingUser="{g(1)}" modifiedDateTime="2021-01-15T23:37:54Z">
   <PlainTextContent>QualCoder: an annotation</PlainTextContent>
   <PlainTextSelection guid="{g(22)}" startPosition="{lab[0]}" endPosition="{lab[1]}"/></Note>
 </Notes>""",
        origin="QualCoder 3.6",
    )


def memo_table(project: Project) -> set[tuple[object, ...]]:
    with project.session() as s:
        return {
            (r.target, r.title, r.body, r.coder, r.start, r.end)
            for r in memo_rows(s)
            if r.start is not None
        }


def test_passage_comments_become_annotations(project: Project, tmp_path: Path) -> None:
    path = qdpx(tmp_path / "p.qdpx", passages_qde(), {"p1.txt": PASSAGES_TEXT})
    report = import_qdpx(project, path, actor="test")
    text = PASSAGES_TEXT.replace("\r\n", "\n")
    slow, months, lab = at("Slow.", text), at("Eleven months", text), at("lab", text)
    assert memo_table(project) == {
        ("annotation", "", "MAXQDA: a commented segment", "Mia", *slow),
        (
            "annotation",
            "Quotation comment",
            "ATLAS.ti: a comment on an uncoded quotation",
            "Qin",
            *months,
        ),
        ("annotation", "", "QualCoder: an annotation", "Mia", *lab),
        ("annotation", "", "coded with a code the file lacks", None, *lab),
        ("coding", "", "coded: a coding memo", "Mia", *slow),
    }
    assert report.not_imported == {
        "selections without a coding or a comment": 1,
        "codings of codes not in the codebook": 1,
    }
    with project.session() as s:
        made = {r.body: r.created_at for r in memo_rows(s)}
    assert made["MAXQDA: a commented segment"] == dt.datetime(2024, 2, 3, 4, 5, 6)
    assert made["QualCoder: an annotation"] == dt.datetime(2021, 1, 15, 23, 37, 54)
    # importing again adds nothing
    again = import_qdpx(project, path, actor="test")
    assert again.memos_added == 0


def test_annotations_are_exported_as_uncoded_selections(project: Project, tmp_path: Path) -> None:
    path = qdpx(tmp_path / "p.qdpx", passages_qde(), {"p1.txt": PASSAGES_TEXT})
    import_qdpx(project, path, actor="test")
    out = tmp_path / "out.qdpx"
    export_qdpx(project, out)
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(xsd("Project.xsd"))).validate(qde)
    root = ET.fromstring(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    uncoded = {
        (sel.get("name"), sel.findtext("q:Description", namespaces=ns))
        for sel in root.iterfind(".//q:TextSource/q:PlainTextSelection", ns)
        if sel.find("q:Coding", ns) is None
    }
    assert uncoded == {
        ("Slow.", "MAXQDA: a commented segment"),
        ("Quotation comment", "ATLAS.ti: a comment on an uncoded quotation"),
        ("lab", "QualCoder: an annotation"),
        ("lab", "coded with a code the file lacks"),
    }
    back = open_project(tmp_path / "back.db", create=True)
    assert import_qdpx(back, out, actor="test").not_imported == {}
    assert memo_table(back) == memo_table(project)


# -- 4. memos QualCoder can read ------------------------------------------------------------------
def test_every_note_has_a_unique_name_and_its_text_in_a_file(
    project: Project, tmp_path: Path
) -> None:
    with project.write() as s:
        add_memo(s, body="First plan.", coder="ann", title="Plan")
        add_memo(s, body="Second plan.", coder="ann", title="Plan")
        add_memo(s, body="An untitled thought about the whole study.", coder="ann")
    out = tmp_path / "out.qdpx"
    report = export_qdpx(project, out)
    assert any("1 memo(s) share a title" in n for n in report.notes)
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        ns = {"q": "urn:QDA-XML:project:1.0"}
        notes = {
            n.get("name"): (
                n.findtext("q:PlainTextContent", namespaces=ns),
                zf.read("sources/" + n.get("plainTextPath", "").removeprefix("internal://")),
            )
            for n in ET.fromstring(qde).iterfind("q:Notes/q:Note", ns)
        }
    assert notes == {
        "Plan": ("First plan.", b"First plan."),
        "Plan (2)": ("Second plan.", b"Second plan."),
        "An untitled thought about the whole study.": (
            "An untitled thought about the whole study.",
            b"An untitled thought about the whole study.",
        ),
    }
    xmlschema.XMLSchema(str(xsd("Project.xsd"))).validate(qde)
    back = open_project(tmp_path / "back.db", create=True)
    import_qdpx(back, out, actor="test")
    with back.session() as s:  # a name that only repeats the text is no title
        titles = {r.body: r.title for r in memo_rows(s)}
    assert titles == {
        "First plan.": "Plan",
        "Second plan.": "Plan (2)",
        "An untitled thought about the whole study.": "",
    }


# -- 5. codes that share a name under different parents ------------------------------------------
SHARED_TEXT = "Interviewer: And the police?\nP1: I trust them. I never trusted the courts.\n"


@pytest.fixture
def shared_names(project: Project, tmp_path: Path) -> Project:
    """Two codes named 'positive' (under Police and Courts), each coding a passage; memos of
    every kind (for what QualCoder reads of them)."""
    doc = tmp_path / "P1.txt"
    doc.write_text(SHARED_TEXT)
    import_files(project, [doc], actor="test")
    with project.write() as s:
        for parent in ("Police", "Courts"):
            add_code(s, parent, actor="test")
            add_code(s, "positive", parent=parent, actor="test")
        for path, word in (("Police/positive", "I trust them."), ("Courts/positive", "never")):
            start, end = at(word, SHARED_TEXT)
            add_coding(s, document="P1.txt", code=path, coder="ann", start=start, end=end)
        add_memo(s, body="The study plan.", coder="ann", title="Plan")
        add_memo(s, body="Another plan.", coder="ann", title="Plan")
        add_memo(s, body="On the police.", coder="ann", target="code", ref="Police")
        add_memo(s, body="About P1.", coder="ann", target="document", ref="P1.txt")
        start, end = at("the courts", SHARED_TEXT)
        add_memo(
            s,
            body="Courts, again.",
            coder="ann",
            target="annotation",
            ref="P1.txt",
            start=start,
            end=end,
        )
    return project


def code_names(path: Path) -> list[str]:
    """The code names a .qdpx or .qdc holds."""
    if path.suffix == ".qdpx":
        data = zipfile.ZipFile(path).read("project.qde")
    else:
        data = path.read_bytes()
    return [e.get("name", "") for e in ET.fromstring(data).iter() if e.tag.endswith("}Code")]


def test_codes_sharing_a_name_are_named_on_export_and_qualified_on_request(
    shared_names: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(shared_names.path)
    out = tmp_path / "plain.qdpx"
    code, stdout, err = run(capsys, "export", "qdpx", str(out), "--project", db)
    assert code == 0, err
    assert "'positive': Police/positive, Courts/positive" in " ".join(stdout.split())
    assert "--unique-names" in stdout
    assert sorted(code_names(out)) == ["Courts", "Police", "positive", "positive"]
    out = tmp_path / "unique.qdpx"
    code, stdout, err = run(capsys, "export", "qdpx", str(out), "--unique-names", "--project", db)
    assert code == 0, err
    assert sorted(code_names(out)) == ["Courts", "Police", "positive (Courts)", "positive (Police)"]
    book = tmp_path / "unique.qdc"
    assert run(capsys, "export", "qdc", str(book), "--unique-names", "--project", db)[0] == 0
    assert sorted(code_names(book)) == sorted(code_names(out))
    # qualified names reach every code's codings when another tool matches codes by name
    back = open_project(tmp_path / "back.db", create=True)
    import_qdpx(back, out, actor="test")
    with back.session() as s:
        assert len(set(code_paths(s).values())) == 4


QUALCODER_PYTHON = Path(os.environ.get("QUALCODER_PYTHON", "/tmp/qcoder-venv/bin/python"))
QUALCODER_SRC = Path(os.environ.get("QUALCODER_SRC", "/tmp/qualcoder_src"))


def qualcoder_reads(path: Path, workdir: Path) -> dict[str, object]:
    """What QualCoder's own REFI-QDA import gets from a file (the shared harness, headless)."""
    reader = TOOLS / "qualcoder_reader.py"
    if not reader.is_file():
        pytest.skip(f"QualCoder's reader harness not found at {reader} (../shared is absent)")
    if not (QUALCODER_PYTHON.is_file() and (QUALCODER_SRC / "src" / "qualcoder").is_dir()):
        pytest.skip(
            "QualCoder is not installed: set QUALCODER_PYTHON (a venv with PyQt6) and "
            f"QUALCODER_SRC (its source); see the header of {reader}"
        )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QUALCODER_SRC": str(QUALCODER_SRC)}
    subprocess.run(
        [str(QUALCODER_PYTHON), str(reader), "import", str(path), str(workdir)],
        check=True,
        capture_output=True,
        env=env,
        cwd=workdir.parent,
    )
    result: dict[str, object] = json.loads(Path(f"{workdir}.json").read_text())
    return result


def test_qualcoder_reads_our_memos_and_keeps_every_coding_with_unique_names(
    shared_names: Project, tmp_path: Path
) -> None:
    out = tmp_path / "unique.qdpx"
    export_qdpx(shared_names, out, unique_names=True)
    got = qualcoder_reads(out, tmp_path / "qualcoder")
    assert got["error"] is None
    assert (got["code_name"], got["code_text"], got["code_text_null_cid"]) == (4, 2, 0)
    journals = {name: text for name, text in got["_journals"]}  # type: ignore[attr-defined]
    assert journals == {
        "Plan": "The study plan.",
        "Plan (2)": "Another plan.",
        "On the police.": "On the police.",
    }
    assert got["annotation"] == 1  # the annotation, with its span
    # a memo on a whole document: QualCoder takes a source's notes for annotations and drops
    # those without a passage (README, "Tested against")
    codes = {name for _cid, name, *_rest in got["_codes"]}  # type: ignore[attr-defined]
    assert codes == {"Courts", "Police", "positive (Courts)", "positive (Police)"}


QC = Path(os.environ.get("QC_BIN", "/tmp/qc-venv/bin/qc"))


def test_qc_keeps_every_coding_with_unique_names(shared_names: Project, tmp_path: Path) -> None:
    """qc (qualitative-coding) imports a .qdpx with ``qc init --import``; it matches codes by
    name, so only unique names keep the two 'positive' codes apart."""
    if not QC.is_file():
        pytest.skip(f"qc is not installed at {QC} (pip install qualitative-coding; set QC_BIN)")
    got = {}
    for unique in (False, True):
        out = tmp_path / f"unique-{unique}.qdpx"
        export_qdpx(shared_names, out, unique_names=unique)
        work = tmp_path / f"qc-{unique}"
        work.mkdir()
        env = {**os.environ, "PYTHONBREAKPOINT": "0"}
        subprocess.run(
            [str(QC), "init", "--import", str(out)],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        with sqlite3.connect(work / "qualitative_coding.sqlite3") as db:
            codes = sorted(name for (name,) in db.execute("select name from code"))
            coded = sorted(code for (code,) in db.execute("select code_id from coded_line"))
        got[unique] = (codes, coded)
    assert got[False][0] == ["Courts", "Police", "positive"]  # merged
    assert got[True] == (
        ["Courts", "Police", "positive (Courts)", "positive (Police)"],
        ["positive (Courts)", "positive (Police)"],
    )
