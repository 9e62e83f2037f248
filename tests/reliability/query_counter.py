"""Counting the SQL statements a command runs, failing past a bound (so that a query per item,
which would run for minutes on a big input, fails at once)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


class TooManyQueries(Exception):
    pass


@contextmanager
def counting_queries(limit: int) -> Iterator[list[str]]:
    """Every SQL statement run in the block; the statement past ``limit`` raises."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)
        if len(seen) > limit:
            raise TooManyQueries(f"more than {limit} queries")

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)
