"""Importing codings from a spreadsheet (CSV), for teams coming from other tools.

Columns: ``document``, ``coder``, ``code`` (a path such as ``Triage/Plea bargaining``), and
either ``start`` and ``end`` (code-point offsets) or ``text`` (the quoted passage, found in the
document; ``occurrence`` picks the n-th match, default 1). An optional ``memo`` column is kept,
also on a coding that is already there (once: the same text by the same coder is not repeated).
The whole file is one transaction: any bad row (a row with fewer cells than the header too) and
nothing is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.coding.codings import ensure_coding
from qualcode.coding.memos import attach_coding_memo
from qualcode.errors import QualcodeError
from qualcode.ingest.attributes import read_csv_rows
from qualcode.ingest.documents import find_document
from qualcode.store.db import Project

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
    report = CodingsImportReport()
    with project.write() as s:
        for n, row in enumerate(rows, start=2):
            try:
                _import_row(s, row, report)
            except QualcodeError as exc:
                raise QualcodeError(f"{path}: line {n}: {exc}") from None
    return report


def _import_row(s: Session, row: dict[str, str | None], report: CodingsImportReport) -> None:
    missing = [column for column, cell in row.items() if cell is None]
    if missing:  # a short row: which cell is which cannot be known
        raise QualcodeError(
            f"the row has {len(row) - len(missing)} of the header's {len(row)} cells "
            f"(none for {', '.join(repr(c) for c in missing)})"
        )
    doc = find_document(s, (row["document"] or "").strip())
    start_cell = (row.get("start") or "").strip()
    end_cell = (row.get("end") or "").strip()
    if start_cell and end_cell:
        try:
            start, end = int(start_cell), int(end_cell)
        except ValueError:
            raise QualcodeError(f"start/end must be whole numbers, not {start_cell!r}") from None
    else:
        start, end = locate_text(doc.text, row.get("text") or "", row.get("occurrence") or "1")
    coder = (row["coder"] or "").strip()
    coding_id, created = ensure_coding(
        s,
        document=doc,
        code=(row["code"] or "").strip(),
        coder=coder,
        start=start,
        end=end,
    )
    if attach_coding_memo(s, coding_id, row.get("memo") or "", coder=coder):
        report.memos_added += 1
    if created:
        report.added += 1
    else:
        report.already_there += 1
    report.coders.add(coder)


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
