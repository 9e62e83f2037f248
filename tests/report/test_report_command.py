"""``qualcode report``: the file it writes, text from the project escaped everywhere (tables,
quotes, chart labels), refusals as one line with exit 2."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.store import Code, Coder, Coding, Document, Participant, Project, open_project

from ..run_cli import cli

HOSTILE_CODE = "<script>alert('code')</script>"
HOSTILE_PARTICIPANT = '"><img src=x onerror=alert(1)>'
TEXT = "Interviewer: Why?\n\nP1: <b>The lab</b> & the backlog. It takes months.\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Project]:
    """A project whose names and text are HTML."""
    project = open_project(tmp_path / "hostile.db", create=True)
    with project.write() as s:
        person = Participant(label=HOSTILE_PARTICIPANT)
        doc = Document(
            name="<i>doc</i>.txt",
            text=TEXT,
            sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
            source_name="doc.txt",
            source_format="txt",
            participant=person,
        )
        code = Code(name=HOSTILE_CODE, description="<u>defined</u> & more", position=0, guid="c")
        coder = Coder(name="<ann>")
        s.add_all([person, doc, code, coder])
        s.flush()
        start = TEXT.index("<b>")
        s.add(
            Coding(
                document_id=doc.id,
                code_id=code.id,
                coder_id=coder.id,
                start=start,
                end=start + 30,
            )
        )
    yield project
    project.dispose()


def run(capsys: pytest.CaptureFixture[str], project: Project, *args: str) -> tuple[int, str, str]:
    return cli(capsys, "--project", str(project.path), "report", *args)


def test_every_piece_of_project_text_is_escaped(
    hostile: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, stdout, err = run(capsys, hostile, str(out))
    assert code == 0, err
    assert str(out) in stdout
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>The lab" not in html and "<u>defined" not in html and "<i>doc" not in html
    assert "&lt;script&gt;alert(&#x27;code&#x27;)&lt;/script&gt;" in html  # tables, quotes
    assert "&lt;b&gt;The lab&lt;/b&gt; &amp; the backlog" in html  # the quote
    assert "&lt;u&gt;defined&lt;/u&gt; &amp; more" in html  # the codebook
    # the chart's label: matplotlib escapes the text it writes into the SVG
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "&lt;script&gt;" in svg
    assert not re.search(r"<(link|iframe|object|embed)\b", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert re.findall(r"url\(([^)]*)\)", html)  # the charts' clip paths, and only those:
    assert {u[:2] for u in re.findall(r"url\(([^)]*)\)", html)} == {"#p"}  # nothing fetched


def test_only_one_coder_counts_with_coder(
    hostile: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.html"
    code, stdout, err = run(capsys, hostile, str(out), "--coder", "<ann>", "--json")
    assert code == 0, err
    assert json.loads(stdout) == {"path": str(out), "coder": "<ann>"}
    html = out.read_text(encoding="utf-8")
    assert "counting &lt;ann&gt;&#x27;s codings" in html
    # agreement needs two coders: the section says why it is missing
    assert "Not computed: agreement needs at least two coders" in html


def test_refusals(hostile: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, hostile, str(tmp_path / "r.html"), "--pseudonymised")
    assert code == 2
    assert "no accepted pseudonyms" in err  # nothing to pseudonymise: refused, not unchanged
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()
    code, _out, err = run(capsys, hostile, str(tmp_path / "r.pdf"))
    assert code == 2 and "must end in .html" in err
    code, _out, err = run(capsys, hostile, str(hostile.path))
    assert code == 2
    code, _out, err = run(capsys, hostile, str(tmp_path / "r.html"), "--coder", "nobody")
    assert code == 2 and "nobody" in err
    assert not (tmp_path / "r.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.html")] == []
