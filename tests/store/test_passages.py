"""Reading passages of texts (SQL substr for a few of a long text, one read for many or for a
short text) gives what slicing the text gives, on SQLite and PostgreSQL, astral characters
included."""

from __future__ import annotations

import hashlib
import random

import pytest

from qualcode.store import Document, Project
from qualcode.store.texts import FEW, SHORT, Passages, read_passages

LONG = "".join(random.Random(5).choice("ab c\n👩𝔘é’-") for _ in range(SHORT + 3_000))
TEXTS = {"long.txt": LONG, "short.txt": LONG[-3_000:]}


def test_passages_are_the_text_sliced(any_project: Project) -> None:
    ids = {}
    with any_project.write() as s:
        for name, text in TEXTS.items():
            doc = Document(
                name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                source_name=name, source_format="txt",
            )  # fmt: skip
            s.add(doc)
            s.flush()
            ids[doc.id] = text
    rng = random.Random(1)
    for n in (1, FEW, FEW + 1, 60):  # substr for a few of a long text, one read for many
        spans = {}
        for doc_id, text in ids.items():
            spans[doc_id] = []
            for _ in range(n):
                a = rng.randrange(-5, len(text))
                spans[doc_id].append((a, a + rng.randrange(1, 80)))
        with any_project.session() as s:
            read = read_passages(s, spans)
        for doc_id, text in ids.items():
            passages = read[doc_id]
            assert len(passages) == len(text)
            for a, b in spans[doc_id]:
                a, b = max(0, a), min(len(text), b)
                assert passages[a:b] == text[a:b]
                assert passages[a] == text[a]
                mid = (a + b) // 2
                assert passages[mid:b] == text[mid:b]


def test_a_slice_outside_the_passages_read_is_refused() -> None:
    passages = Passages(100, [(10, "x" * 10), (40, "y" * 5)])
    assert passages[12:20] == "x" * 8 and passages[41] == "y" and passages[50:50] == ""
    with pytest.raises(KeyError):
        passages[15:25]
    with pytest.raises(KeyError):
        passages[30]
