"""``qualcode copy SRC DEST``: an exact copy of a project, e.g. from SQLite to a team's
PostgreSQL server, verified afterwards by row counts and content hashes of every table."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from qualcode.errors import QualcodeError
from qualcode.store.db import open_project
from qualcode.store.models import Base

Progress = Callable[[str, int], None]
BATCH = 2_000


@dataclass
class CopyReport:
    tables: dict[str, int] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"tables": self.tables, "digests": self.digests}


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables]


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 of a table's rows in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    cols = list(table.columns)
    pk = list(table.primary_key.columns)
    for row in conn.execute(select(*cols).order_by(*pk)).yield_per(BATCH):
        digest.update(json.dumps([_norm(v) for v in row], default=str).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _rows_in_order(conn: Connection, table: Table) -> list[dict[str, Any]]:
    rows = [
        dict(r._mapping) for r in conn.execute(select(table).order_by(*table.primary_key.columns))
    ]
    if table.name == "codes":  # parents before children, whatever their ids
        placed: set[Any] = set()
        ordered: list[dict[str, Any]] = []
        pending = rows
        while pending:
            ready = [r for r in pending if r["parent_id"] is None or r["parent_id"] in placed]
            if not ready:
                raise QualcodeError("the source project's codes have a cycle of parents")
            ordered.extend(ready)
            placed.update(r["id"] for r in ready)
            pending = [r for r in pending if r["id"] not in placed]
        rows = ordered
    return rows


def copy_project(
    src_location: str, dest_location: str, progress: Progress | None = None
) -> CopyReport:
    src = open_project(src_location, upgrade=False)
    dest = open_project(dest_location, create=True)
    try:
        if src.url == dest.url:
            raise QualcodeError("source and destination are the same project")
        report = CopyReport()
        with src.engine.connect() as sconn, dest.write() as ds:
            dconn = ds.connection()
            for table in _tables():
                if dconn.execute(select(func.count()).select_from(table)).scalar():
                    raise QualcodeError(
                        f"the destination already holds data (table {table.name}); "
                        "copy into a new, empty project"
                    )
            for table in _tables():
                rows = _rows_in_order(sconn, table)
                for i in range(0, len(rows), BATCH):
                    dconn.execute(table.insert(), rows[i : i + BATCH])
                if progress is not None:
                    progress(table.name, len(rows))
            if dest.engine.dialect.name == "postgresql":
                for table in _tables():
                    if "id" in table.c:
                        dconn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                            )
                        )
            for table in _tables():
                n_src, d_src = table_digest(sconn, table)
                n_dst, d_dst = table_digest(dconn, table)
                if (n_src, d_src) != (n_dst, d_dst):
                    raise QualcodeError(
                        f"verification failed for {table.name}: {n_src} rows ({d_src[:12]}) "
                        f"copied as {n_dst} rows ({d_dst[:12]}); nothing was written"
                    )
                report.tables[table.name] = n_src
                report.digests[table.name] = d_src
        return report
    finally:
        src.dispose()
        dest.dispose()
