"""The lookups behind writing one coding: only the identities asked for, only the code paths
involved (so a key press costs the same in a document of 3 codings or of 3,000)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Select, insert

from qualcode.coding.codes import code_paths
from qualcode.coding.codings import NARROW_LOOKUP, CodingSpec, existing_identities, insert_codings
from qualcode.store.models import Coding

from .conftest import TEXT_1, Small


def fill(small: Small, n: int) -> list[tuple[int, int, int, int, int]]:
    """n codings of P01 by ana with one code (every span of a few characters)."""
    doc, code, coder = small.docs["P01.txt"], small.codes["Plea bargaining"], small.coders["ana"]
    spans = [(a, b) for a in range(len(TEXT_1)) for b in range(a + 1, len(TEXT_1) + 1)][:n]
    rows = [dict(document_id=doc, code_id=code, coder_id=coder, start=a, end=b) for a, b in spans]
    with small.project.write() as s:
        s.execute(insert(Coding), rows)
    return [(doc, code, coder, a, b) for a, b in spans]


@pytest.mark.parametrize("asked", [1, NARROW_LOOKUP + 1])
def test_existing_identities_finds_exactly_what_is_asked(small: Small, asked: int) -> None:
    stored = fill(small, 2 * NARROW_LOOKUP)
    wanted = stored[::2][:asked]
    elsewhere = (small.docs["P02.txt"], *stored[0][1:])  # the same coding in another document
    with small.project.session() as s:
        found = existing_identities(s, [*wanted, elsewhere])
    assert set(found) == set(wanted)
    assert len(set(found.values())) == len(wanted)


def test_one_coding_reads_only_codings_where_it_starts(
    small: Small, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inserting one coding into a document that holds 1,000 reads back the codings that
    start where it starts (here only itself), not the document's codings."""
    doc, code, coder, _, _ = fill(small, 1000)[0]
    spec = CodingSpec(doc, code, coder, 100, 120)  # nothing else starts at 100
    read: list[int] = []
    with small.project.write() as s:
        execute = s.execute

        def counting(statement: Any, *args: Any, **kwargs: Any) -> Any:
            result = execute(statement, *args, **kwargs)
            if isinstance(statement, Select) and "codings" in str(statement):
                rows = list(result)
                read.append(len(rows))
                return rows
            return result

        monkeypatch.setattr(s, "execute", counting)
        ids, new = insert_codings(s, [spec], "ana")
    assert new == ids
    assert read and max(read) <= 1
    with small.project.session() as s:
        assert existing_identities(s, [spec.identity]) == {spec.identity: ids[0]}


def test_code_paths_of_some_codes(small: Small) -> None:
    with small.project.session() as s:
        every = code_paths(s)
        plea = small.codes["Plea bargaining"]
        assert code_paths(s, [plea]) == {plea: "Triage/Plea bargaining"}
        assert code_paths(s, [plea, plea, 999]) == {plea: every[plea]}
        assert code_paths(s, list(every)) == every
        assert code_paths(s, []) == {}
