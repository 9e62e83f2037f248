"""`qualcode uncode`: each coder removes only their own codings, unless told otherwise."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qualcode.store.models import AuditEntry, Coding

from ..run_cli import cli
from .conftest import Small, add_codings


def coding_ids(small: Small) -> list[int]:
    with small.project.session() as s:
        return list(s.scalars(select(Coding.id).order_by(Coding.id)))


def test_uncode_refuses_another_coders_coding(
    small: Small, capsys: pytest.CaptureFixture[str]
) -> None:
    add_codings(small, [("P01.txt", "Triage", "ben", "Plea deals are common.")])
    (bens,) = coding_ids(small)
    project = ["--project", str(small.project.path)]
    code, out, err = cli(capsys, "uncode", str(bens), "--coder", "ana", *project)
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        f"error: coding {bens} is ben's, not ana's; each coder changes only their own "
        "(--any-coder overrides)"
    ]
    assert coding_ids(small) == [bens]  # nothing removed
    code, out, err = cli(capsys, "uncode", str(bens), "--any-coder", "--coder", "ana", *project)
    assert code == 0, err
    assert coding_ids(small) == []
    with small.project.session() as s:
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "remove")).all()
    assert entry.actor == "ana" and entry.detail is not None
    assert (entry.detail["coder"], entry.detail["any_coder"]) == ("ben", True)
    assert entry.detail["document"] == "P01.txt" and entry.detail["code"] == "Triage"


def test_uncode_removes_ones_own_coding(small: Small, capsys: pytest.CaptureFixture[str]) -> None:
    add_codings(small, [("P01.txt", "Lab backlog", "ana", "The lab is slow.")])
    (mine,) = coding_ids(small)
    code, out, err = cli(capsys, "uncode", str(mine), "--coder", "ana",
                         "--project", str(small.project.path))  # fmt: skip
    assert code == 0, err
    assert "removed" in out
    assert coding_ids(small) == []
