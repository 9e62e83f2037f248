"""``qualcode attributes export FILE.csv``: every participant and their attributes, as a CSV
that ``qualcode attributes import`` reads back unchanged: ``participant``, ``document`` (the
participant's documents, separated by ``;``), then one column per attribute headed
``name:kind`` (``years:number``), so that each keeps its kind. Written atomically; text that
could start a formula is neutralised as in every export."""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import ExportResult, check_target, replacing
from qualcode.interop.csv_export import write_csv
from qualcode.interop.tables_for_export import (
    Column,
    Table,
    attribute_columns,
    participant_rows,
)
from qualcode.store import Project


def attributes_table(project: Project) -> Table:
    with project.session() as s:
        attributes = attribute_columns(s)
        names = [name for name, _ in attributes]
        rows = participant_rows(s, names)
    columns = [
        Column("participant", "Participant"),
        Column("document", "Documents"),
        *(Column(f"{name}:{kind}", name, kind) for name, kind in attributes),
    ]
    return Table("attributes", "Attributes", columns, rows)


def export_attributes(project: Project, out: str | os.PathLike[str]) -> ExportResult:
    """Write the participants' attributes to ``out`` (a .csv file)."""
    target = check_target(Path(out), ".csv")
    table = attributes_table(project)
    try:
        with replacing(target) as tmp:
            n = write_csv(table, tmp)
    except PermissionError as exc:
        raise QualcodeError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ExportResult(target, {target.name: n})
