"""Property: whatever spans are coded, each coding in the pseudonymised copy holds exactly its
original text with the accepted forms replaced (widened to whole pseudonyms where a span began
or ended inside a replaced form), and nothing else."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qualcode.codebook.edit import add_code
from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codings import CodingSpec, insert_codings
from qualcode.ingest.importer import add_document
from qualcode.pseudonyms.copy import pseudonymised_copy
from qualcode.pseudonyms.review import add_form
from qualcode.store import Coding, Document, open_project

TEXT = (
    "P01: Detective Kim Oduya met Judge Marsh in Maple County. Oduya said the docket "
    "CR-2019-004512 was filed on 3/14/2019; Marsh agreed. KIM ODUYA signed. Oduyas and "
    "Kimberly are no one.\n"
)
FORMS = {
    "Detective Kim Oduya": "[Detective 1]",
    "Kim Oduya": "[Detective 1]",
    "Oduya": "[Detective 1]",
    "Judge Marsh": "[Judge 1]",
    "Marsh": "[Judge 1]",
    "Maple County": "[County A]",
    "CR-2019-004512": "[Case 1]",
    "3/14/2019": "[Date 1]",
}


def replaced_slice(start: int, end: int) -> str:
    """The independent expectation, from the whole text's matches."""
    import re

    alternatives = "|".join(re.escape(f) for f in sorted(
        {v for f in FORMS for v in (f, f.upper())}, key=len, reverse=True))  # fmt: skip
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    matches = list(pattern.finditer(TEXT))
    for m in matches:
        if m.start() < start < m.end() or (m.start() <= start < m.end() and end <= m.end()):
            start = m.start()
        if m.start() < end < m.end():
            end = m.end()
    by_form = {v: p for f, p in FORMS.items() for v in (f, f.upper())}
    out, at = [], start
    for m in matches:
        if start <= m.start() and m.end() <= end:
            out += [TEXT[at : m.start()], by_form[m.group()]]
            at = m.end()
    return "".join([*out, TEXT[at:end]])


spans = st.lists(
    st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 60)).map(
        lambda t: (t[0], min(len(TEXT), t[0] + t[1]))
    ),
    min_size=1,
    max_size=8,
    unique=True,
)


@lru_cache(maxsize=1)
def base_project() -> Path:
    """The document, the code and the accepted forms, made once (a copy serves each example)."""
    path = Path(tempfile.mkdtemp(prefix="qualcode-prop-")) / "base.db"
    project = open_project(path, create=True)
    with project.write() as s:
        add_document(s, name="P01.txt", text=TEXT, source_name="P01.txt", source_format="txt")
        add_code(s, "Talk", actor="ana")
        get_or_create_coder(s, "ana")
        for form, label in FORMS.items():
            add_form(s, form, actor="ana", pseudonym=label, category="person")
    project.dispose()
    return path


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans=spans)
def test_each_copied_coding_is_its_replaced_original(spans: list[tuple[int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.db"
        shutil.copy(base_project(), path)
        project = open_project(path)
        try:
            with project.write() as s:
                doc, code, coder = 1, 1, 1
                specs = [CodingSpec(doc, code, coder, a, b) for a, b in spans]
                insert_codings(s, specs, "ana")
            with pseudonymised_copy(project) as copy, copy.session() as s:
                text = s.scalar(select(Document.text))
                assert text is not None
                got = {text[c.start : c.end] for c in s.scalars(select(Coding))}
        finally:
            project.dispose()
    assert got == {replaced_slice(a, b) for a, b in spans}
