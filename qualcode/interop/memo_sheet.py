"""The Memos sheet (``memos.csv``): every memo of the project, one row each, with what it is on.

Memos on the project, a document, a passage of a document (an annotation), a code and a coding
all come from their one home (:func:`qualcode.coding.memos.memo_rows`). An export made for one
coder holds that coder's memos only.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.coding.memos import memo_rows
from qualcode.interop.tables_for_export import ExportSelection, Table, cols

COLUMNS = cols(
    "memo_id|Memo id|int", "on|On", "about|About", "document|Document", "code|Code",
    "coding_id|Coding|int", "start|Start|int", "end|End|int", "coder|Coder", "title|Title",
    "memo|Memo|long", "created|Created", "updated|Updated",
)  # fmt: skip


def memos_table(s: Session, sel: ExportSelection) -> Table:
    rows = [
        (
            m.id,
            m.target,
            m.about,
            m.document,
            m.code,
            m.coding_id,
            m.start,
            m.end,
            m.coder,
            m.title,
            m.body,
            m.created_at.isoformat(sep=" ", timespec="seconds"),
            m.updated_at.isoformat(sep=" ", timespec="seconds"),
        )
        for m in memo_rows(s)
        if sel.coder is None or m.coder == sel.coder
    ]
    return Table("memos", "Memos", COLUMNS, rows, 2)
