"""Importing codings from a spreadsheet (CSV), for teams coming from other tools.

Columns: ``document``, ``coder``, ``code`` (a path such as ``Triage/Plea bargaining``), and
either ``start`` and ``end`` (code-point offsets) or ``text`` (the quoted passage, found in the
document; ``occurrence`` picks the n-th match, default 1). An optional ``memo`` column is kept,
also on a coding that is already there (once: the same text by the same coder is not repeated).
The whole file is one transaction: any bad row (a row with fewer cells than the header too) and
nothing is imported.

Every row is checked first (each document, code and coder looked up once), then the codings go
in as one batch per coder through :func:`qualcode.coding.codings.insert_codings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import get_code
from qualcode.coding.codings import (
    CodingIdentity,
    CodingSpec,
    MemoSpec,
    check_span_within,
    insert_codings,
)
from qualcode.coding.memos import attach_coding_memos
from qualcode.errors import QualcodeError
from qualcode.ingest.attributes import read_csv_rows
from qualcode.ingest.documents import find_document
from qualcode.store.db import Project
from qualcode.store.models import Document

REQUIRED = ("document", "coder", "code")


@dataclass
class CodingsImportReport:
    added: int = 0
    already_there: int = 0
    memos_added: int = 0
    coders: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "already_there": self.already_there,
            "memos_added": self.memos_added,
            "coders": sorted(self.coders),
        }


def import_codings_csv(project: Project, path: str | Path) -> CodingsImportReport:
    rows = read_csv_rows(path)
    if not rows:
        raise QualcodeError(f"{path}: no rows")
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise QualcodeError(f"{path}: missing column(s): {', '.join(missing)}")
    has_offsets = "start" in rows[0] and "end" in rows[0]
    if not has_offsets and "text" not in rows[0]:
        raise QualcodeError(f"{path}: needs 'start' and 'end' columns, or a 'text' column")
    with project.write() as s:
        names = _Names(s)
        planned: list[_Row] = []
        for n, row in enumerate(rows, start=2):
            try:
                planned.append(_plan_row(names, row))
            except QualcodeError as exc:
                raise QualcodeError(f"{path}: line {n}: {exc}") from None
        return _store(s, planned)


@dataclass(frozen=True)
class _Row:
    """One checked row: the coding it names, by whom, and its memo (stripped, maybe empty)."""

    spec: CodingSpec
    coder: str
    memo: str


@dataclass(frozen=True)
class _Document:
    id: int
    name: str
    length: int
    #: the row, whose text is read only for a row that quotes its passage
    row: Document


class _Names:
    """Documents, codes and coders looked up once per name the file uses."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.documents: dict[str, _Document] = {}
        self.codes: dict[str, int] = {}
        self.coders: dict[str, int] = {}

    def document(self, ref: str) -> _Document:
        if ref not in self.documents:
            doc = find_document(self.s, ref)
            self.documents[ref] = _Document(doc.id, doc.name, doc.length, doc)
        return self.documents[ref]

    def code(self, ref: str) -> int:
        if ref not in self.codes:
            self.codes[ref] = get_code(self.s, ref).id
        return self.codes[ref]

    def coder(self, name: str) -> int:
        if name not in self.coders:
            self.coders[name] = get_or_create_coder(self.s, name).id
        return self.coders[name]


def _plan_row(names: _Names, row: dict[str, str | None]) -> _Row:
    missing = [column for column, cell in row.items() if cell is None]
    if missing:  # a short row: which cell is which cannot be known
        raise QualcodeError(
            f"the row has {len(row) - len(missing)} of the header's {len(row)} cells "
            f"(none for {', '.join(repr(c) for c in missing)})"
        )
    doc = names.document((row["document"] or "").strip())
    start_cell = (row.get("start") or "").strip()
    end_cell = (row.get("end") or "").strip()
    if start_cell and end_cell:
        try:
            start, end = int(start_cell), int(end_cell)
        except ValueError:
            raise QualcodeError(f"start/end must be whole numbers, not {start_cell!r}") from None
    else:
        start, end = locate_text(doc.row.text, row.get("text") or "", row.get("occurrence") or "1")
    check_span_within(doc.name, doc.length, start, end)
    code_id = names.code((row["code"] or "").strip())
    coder = (row["coder"] or "").strip()
    spec = CodingSpec(doc.id, code_id, names.coder(coder), start, end)
    return _Row(spec, coder, (row.get("memo") or "").strip())


def _store(s: Session, rows: list[_Row]) -> CodingsImportReport:
    """Insert the new codings (one batch per coder, each coding audited) with their memos,
    and attach the memos of codings already there."""
    report = CodingsImportReport(coders={r.coder for r in rows})
    memos: dict[CodingIdentity, dict[str, None]] = {}
    firsts: dict[CodingIdentity, _Row] = {}
    for r in rows:
        firsts.setdefault(r.spec.identity, r)
        if r.memo:
            memos.setdefault(r.spec.identity, {})[r.memo] = None
    by_coder: dict[str, list[CodingSpec]] = {}
    for ident, r in firsts.items():
        spec = r.spec
        if ident in memos:
            notes = tuple(MemoSpec(spec.coder_id, body) for body in memos[ident])
            spec = replace(spec, memos=notes)
        by_coder.setdefault(r.coder, []).append(spec)
    later: list[tuple[int, str, str]] = []  # memos for codings that were already there
    for coder, specs in by_coder.items():
        ids, new_ids = insert_codings(s, specs, coder, via="CSV import")
        fresh = set(new_ids)
        for coding_id, spec in zip(ids, specs, strict=True):
            if coding_id in fresh:
                report.memos_added += len(spec.memos)
            else:
                later.extend((coding_id, coder, m.body) for m in spec.memos)
        report.added += len(fresh)
    report.already_there = len(rows) - report.added
    report.memos_added += attach_coding_memos(s, later)
    return report


def locate_text(text: str, quote: str, occurrence: str = "1") -> tuple[int, int]:
    """Offsets of the n-th occurrence of a quoted passage (white space compared loosely)."""
    words = quote.split()
    if not words:
        raise QualcodeError("neither offsets nor text to locate")
    try:
        nth = int(occurrence)
    except ValueError:
        raise QualcodeError(f"occurrence must be a whole number, not {occurrence!r}") from None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    matches = list(pattern.finditer(text))
    if len(matches) < nth or nth < 1:
        shown = quote if len(quote) < 60 else quote[:57] + "..."
        raise QualcodeError(f"text {shown!r} not found (occurrence {nth})")
    m = matches[nth - 1]
    return m.start(), m.end()
