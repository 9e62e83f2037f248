"""Reading passages of texts (SQL substr for a few, one read for many) gives what slicing the
text gives, on SQLite and PostgreSQL, astral characters included."""

from __future__ import annotations

import hashlib
import random

import pytest

from qualcode.store import Document, Project
from qualcode.store.texts import FEW, Passages, read_passages

TEXT = "".join(random.Random(5).choice("ab c\n👩𝔘é’-") for _ in range(3_000))


def test_passages_are_the_text_sliced(any_project: Project) -> None:
    with any_project.write() as s:
        doc = Document(
            name="t.txt", text=TEXT, sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
            source_name="t.txt", source_format="txt",
        )  # fmt: skip
        s.add(doc)
        s.flush()
        doc_id = doc.id
    rng = random.Random(1)
    for n in (1, FEW, FEW + 1, 60):  # substr for a few, one read for many
        spans = []
        for _ in range(n):
            a = rng.randrange(-5, len(TEXT))
            spans.append((a, a + rng.randrange(1, 80)))
        with any_project.session() as s:
            passages = read_passages(s, {doc_id: spans})[doc_id]
        assert len(passages) == len(TEXT)
        for a, b in spans:
            a, b = max(0, a), min(len(TEXT), b)
            assert passages[a:b] == TEXT[a:b]
            assert passages[a] == TEXT[a]
            mid = (a + b) // 2
            assert passages[mid:b] == TEXT[mid:b]


def test_a_slice_outside_the_passages_read_is_refused() -> None:
    passages = Passages(100, [(10, "x" * 10), (40, "y" * 5)])
    assert passages[12:20] == "x" * 8 and passages[41] == "y" and passages[50:50] == ""
    with pytest.raises(KeyError):
        passages[15:25]
    with pytest.raises(KeyError):
        passages[30]
