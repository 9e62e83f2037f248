"""adjudication decisions as data: memos.decision; the memo's body keeps only readable text

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:50:00

A decision on a disagreement used to be the last line of its memo: ``qualcode-adjudication:``
and the decision as JSON, read back by parsing every memo's text. The line moves into the new
JSON column ``memos.decision`` and leaves the body. A line that cannot be read stays in the
body (it was ignored before, too). The downgrade writes the lines back.
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKER = "qualcode-adjudication:"
memos = sa.table(
    "memos", sa.column("id"), sa.column("body"), sa.column("decision", sa.JSON(none_as_null=True))
)


def _decision(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line[len(MARKER) :])
        spans = {str(c): [[int(a), int(b)] for a, b in v] for c, v in record["spans"].items()}
        decision = {
            **record,
            "document_id": int(record["document_id"]),
            "code_id": int(record["code_id"]),
            "start": int(record["start"]),
            "end": int(record["end"]),
            "spans": spans,
            "kept_from": [str(c) for c in record.get("kept_from", [])],
            "kept": [[int(a), int(b)] for a, b in record["kept"]],
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return decision


def upgrade() -> None:
    with op.batch_alter_table("memos") as batch:
        batch.add_column(sa.Column("decision", sa.JSON(none_as_null=True), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(memos.c.id, memos.c.body).where(memos.c.body.contains(MARKER))
    ).all()
    for memo_id, body in rows:
        lines = body.splitlines()
        at = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith(MARKER)), None)
        decision = None if at is None else _decision(lines[at])
        if at is None or decision is None:
            continue
        text = "\n".join(lines[:at] + lines[at + 1 :]).rstrip("\n")
        bind.execute(
            sa.update(memos).where(memos.c.id == memo_id).values(body=text, decision=decision)
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(memos.c.id, memos.c.body, memos.c.decision).where(
            memos.c.decision.is_not(None)
        )
    ).all()
    for memo_id, body, decision in rows:
        line = MARKER + json.dumps(decision, ensure_ascii=False)
        text = f"{body}\n{line}" if body else line
        bind.execute(sa.update(memos).where(memos.c.id == memo_id).values(body=text))
    with op.batch_alter_table("memos") as batch:
        batch.drop_column("decision")
