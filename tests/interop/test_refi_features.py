"""What a foreign project can hold, in one handmade file: cases and typed variables, notes on
every kind of thing, whole-source codings, selection comments, and references qualcode cannot
follow (each counted in the report, never silently dropped)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from sqlalchemy import select

from qualcode.coding.codes import code_paths
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project
from qualcode.store.models import Attribute, AttributeValue, Code, Coder, Coding, Document, Memo

TEXT = "Line one 😀 here.\r\nLine two is longer.\r\n"


def g(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-000000000000"


QDE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:codebook:0:4" name="features" origin="Some Tool 2.0">
 <Users><User guid="{g(1)}" name="Ann"/><User guid="{g(2)}"/></Users>
 <CodeBook><Codes>
  <Code guid="{g(10)}" name="Parent/child" isCodable="false" color="#A0B">
   <Description>Has a slash.</Description>
   <NoteRef targetGUID="{g(50)}"/>
   <Code guid="{g(11)}" name="Same" isCodable="true"/>
   <Code guid="{g(12)}" name="Same" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{g(20)}" name="age" typeOfVariable="Integer"/>
  <Variable guid="{g(21)}" name="member" typeOfVariable="Boolean"/>
  <Variable guid="{g(22)}" name="interviewed" typeOfVariable="Date"/>
  <Variable guid="{g(23)}" name="score" typeOfVariable="Float"/>
 </Variables>
 <Cases>
  <Case guid="{g(30)}" name="Person A">
   <VariableValue><VariableRef targetGUID="{g(20)}"/><IntegerValue>41</IntegerValue>
   </VariableValue>
   <VariableValue><VariableRef targetGUID="{g(21)}"/><BooleanValue>true</BooleanValue>
   </VariableValue>
   <VariableValue><VariableRef targetGUID="{g(22)}"/><DateValue>2024-03-01</DateValue>
   </VariableValue>
   <VariableValue><VariableRef targetGUID="{g(23)}"/><FloatValue>oops</FloatValue>
   </VariableValue>
   <SourceRef targetGUID="{g(40)}"/>
   <SourceRef targetGUID="{g(41)}"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{g(40)}" name="Interview A" plainTextPath="internal://a.txt"
   creatingUser="{g(1)}">
   <Description>Recorded at home.</Description>
   <PlainTextSelection guid="{g(60)}" name="Line one" startPosition="0" endPosition="8">
    <Description>A comment on the quote.</Description>
    <Coding guid="{g(61)}" creatingUser="{g(2)}"><CodeRef targetGUID="{g(11)}"/></Coding>
    <Coding guid="{g(62)}"><CodeRef targetGUID="{g(12)}"/><NoteRef targetGUID="{g(51)}"/></Coding>
    <Coding guid="{g(63)}" creatingUser="{g(9)}"><CodeRef targetGUID="{g(99)}"/></Coding>
    <NoteRef targetGUID="{g(52)}"/>
   </PlainTextSelection>
   <PlainTextSelection guid="{g(64)}" name="Line two" startPosition="18" endPosition="26">
    <Coding guid="{g(65)}" creatingUser="{g(9)}"><CodeRef targetGUID="{g(11)}"/></Coding>
   </PlainTextSelection>
   <Coding guid="{g(66)}" creatingUser="{g(1)}"><CodeRef targetGUID="{g(10)}"/></Coding>
   <NoteRef targetGUID="{g(53)}"/>
   <VariableValue><VariableRef targetGUID="{g(20)}"/><IntegerValue>3</IntegerValue></VariableValue>
  </TextSource>
  <AudioSource guid="{g(41)}" name="Audio" path="relative:///a.m4a"/>
 </Sources>
 <Notes>
  <Note guid="{g(50)}" name="On the code" creatingUser="{g(1)}">
   <PlainTextContent>Code note</PlainTextContent></Note>
  <Note guid="{g(51)}" name="On a coding" creationDateTime="2020-05-06T07:08:09Z">
   <PlainTextContent>Coding note</PlainTextContent></Note>
  <Note guid="{g(52)}" name="On a selection">
   <PlainTextContent>Selection note</PlainTextContent></Note>
  <Note guid="{g(53)}" name="On the source" plainTextPath="internal://note.txt"/>
  <Note guid="{g(54)}" name="Loose"><PlainTextContent>Nobody refers to me</PlainTextContent></Note>
  <Note guid="{g(55)}"/>
 </Notes>
 <Sets><Set guid="{g(70)}" name="Mixed">
  <MemberCode targetGUID="{g(11)}"/><MemberSource targetGUID="{g(40)}"/>
  <MemberNote targetGUID="{g(54)}"/></Set></Sets>
</Project>
"""


def test_a_feature_rich_foreign_project(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "features.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("features.qde", QDE)
        zf.writestr("Sources/A.TXT", "\ufeff" + TEXT)
        zf.writestr("sources/note.txt", "Source note\r\nfrom a file")
    report = import_qdpx(project, path, actor="test", default_coder="nobody")
    with project.session() as s:
        paths = code_paths(s)
        doc = s.scalars(select(Document)).one()
        coders = dict(s.execute(select(Coder.id, Coder.name)).all())
        # a selection's description is a memo on its coding, by the coding's coder
        described = {m.coding_id: m.body for m in s.scalars(select(Memo)).all() if m.title == ""}
        codings = {
            (paths[c.code_id], coders[c.coder_id], doc.text[c.start : c.end], described.get(c.id))
            for c in s.scalars(select(Coding)).all()
        }
        memos = {
            (m.title, m.body, m.target, coders.get(m.coder_id or 0))
            for m in s.scalars(select(Memo)).all()
            if m.title
        }
        values = {
            (v.attribute.name, v.attribute.kind, v.value)
            for v in s.scalars(select(AttributeValue)).all()
        }
        kinds = dict(s.execute(select(Attribute.name, Attribute.kind)).all())
        person = doc.participant.label if doc.participant else None
        colour = {paths[c.id]: c.colour for c in s.scalars(select(Code)).all()}
    assert doc.name == "Interview A" and doc.text == TEXT.replace("\r\n", "\n")
    assert set(paths.values()) == {
        "Parent\\/child",
        "Parent\\/child/Same",
        "Parent\\/child/Same (2)",
    }
    assert colour["Parent\\/child"] == "#AA00BB" and colour["Parent\\/child/Same"] == "#888888"
    assert codings == {
        ("Parent\\/child/Same", "user 00000002", "Line one", "A comment on the quote."),
        ("Parent\\/child/Same (2)", "nobody", "Line one", "A comment on the quote."),
        ("Parent\\/child/Same", "user 00000009", "Line two", None),
        ("Parent\\/child", "Ann", doc.text, None),
    }
    assert memos == {
        ("On the code", "Code note", "code", "Ann"),
        ("On a coding", "Coding note", "coding", None),
        ("On a selection", "Selection note", "coding", None),
        ("On the source", "Source note\nfrom a file", "document", None),
        ("Loose", "Nobody refers to me", "project", None),
        ("Source description", "Recorded at home.", "document", "Ann"),
    }
    assert person == "Person A"
    assert kinds == {"age": "number", "member": "text", "interviewed": "date", "score": "number"}
    assert values == {
        ("age", "number", 41.0),
        ("member", "text", "true"),
        ("interviewed", "date", dt.date(2024, 3, 1)),
    }
    missing = report.not_imported
    assert missing["codings of codes not in the codebook"] == 1
    assert missing["case values that are not a number"] == 1
    assert missing["case links to sources not imported"] == 1
    assert missing["empty notes"] == 1
    assert missing["notes as set members"] == 1
    assert missing["audio sources"] == 1
    assert missing["variable values on sources (qualcode keeps them on cases)"] == 1
    assert report.groups_added == 2 and report.group_members_added == 2
    assert any("not codable" in n for n in report.notes)
    assert any("renamed apart" in n for n in report.notes)
    assert {p["counting"] for p in report.positions} == {"code points, CRLF line ends"}
