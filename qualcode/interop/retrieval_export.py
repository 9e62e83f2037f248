"""Saving retrieved segments (:func:`qualcode.coding.retrieval.retrieve`) as a CSV file or an
Excel workbook: ``qualcode retrieve ... --out FILE`` and the retrieval screen's save use this
one writer. The file's kind follows its name (``.csv`` or ``.xlsx``); it is written atomically,
and text that could start a formula is neutralised as in every export."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from qualcode.coding.retrieval import Retrieved
from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import ExportResult, check_target, replacing
from qualcode.interop.csv_export import write_csv
from qualcode.interop.tables_for_export import Table, cols
from qualcode.interop.xlsx_workbook import write_workbook

SUFFIXES = (".csv", ".xlsx")

COLUMNS = cols(
    "coding_id|Coding|int", "document|Document", "participant|Participant", "speaker|Speaker",
    "code|Code", "coder|Coder", "start|Start|int", "end|End|int", "before|Before",
    "text|Coded text|long", "after|After", "memo|Memo|long",
)  # fmt: skip


def retrieved_table(rows: Sequence[Retrieved]) -> Table:
    """The segments as one table, in the order retrieved."""
    return Table(
        "retrieved_segments",
        "Retrieved segments",
        COLUMNS,
        [_row(r) for r in rows],
        freeze_columns=2,
    )


def _row(r: Retrieved) -> list[object]:
    return [
        r.coding_id, r.document, r.participant, r.speaker, r.code, r.coder,
        r.start, r.end, r.before, r.text, r.after, r.memo,
    ]  # fmt: skip


def save_retrieved(rows: Sequence[Retrieved], out: str | os.PathLike[str]) -> ExportResult:
    """Write ``rows`` to ``out``: a .csv file or an .xlsx workbook, by its name."""
    path = Path(out).expanduser()
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise QualcodeError(f"{path}: save retrieved segments as a .csv or an .xlsx file")
    target = check_target(path, suffix)
    table = retrieved_table(rows)
    try:
        if suffix == ".csv":
            with replacing(target) as tmp:
                sheets = {target.name: write_csv(table, tmp)}
        else:
            sheets = write_workbook([table], target)
    except PermissionError as exc:
        raise QualcodeError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ExportResult(target, sheets)
