"""one home for memos: a coding's memo moves into memos; memos can be anchored to a passage

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 07:40:00

A coding's memo used to live in two places: ``codings.memo`` (written by the terminal UI and
``code --memo``) and rows of ``memos`` with ``coding_id`` (written by ``memo --on coding`` and
adjudication). Every ``codings.memo`` becomes a memo row on its coding, by the coding's coder,
dated when the coding was last changed; then the column goes. Memos gain ``start``/``end``: a
memo on a document may be anchored to a passage of it (an annotation).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANCHOR = (
    '(start IS NULL AND "end" IS NULL) OR '
    '(document_id IS NOT NULL AND start >= 0 AND start < "end")'
)


def upgrade() -> None:
    with op.batch_alter_table("memos") as batch:
        batch.add_column(sa.Column("start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("end", sa.Integer(), nullable=True))
        batch.create_check_constraint("anchor", ANCHOR)
    op.execute(
        "INSERT INTO memos (title, body, coding_id, coder_id, created_at, updated_at) "
        "SELECT '', memo, id, coder_id, updated_at, updated_at FROM codings "
        "WHERE memo IS NOT NULL AND TRIM(memo) <> '' ORDER BY id"
    )
    with op.batch_alter_table("codings") as batch:
        batch.drop_column("memo")


def downgrade() -> None:
    with op.batch_alter_table("codings") as batch:
        batch.add_column(sa.Column("memo", sa.Text(), nullable=True))
    # the coding's coder's memos on it go back into the column (several are joined)
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT m.id, m.coding_id, m.body FROM memos m JOIN codings c ON c.id = m.coding_id "
            "WHERE m.coder_id = c.coder_id ORDER BY m.coding_id, m.created_at, m.id"
        )
    ).all()
    joined: dict[int, list[str]] = {}
    for _memo_id, coding_id, body in rows:
        joined.setdefault(coding_id, []).append(body)
    for coding_id, bodies in joined.items():
        bind.execute(
            sa.text("UPDATE codings SET memo = :memo WHERE id = :id"),
            {"memo": "\n\n".join(bodies), "id": coding_id},
        )
    bind.execute(sa.text("DELETE FROM memos WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)), {"ids": [r[0] for r in rows] or [-1]})
    op.execute("DELETE FROM memos WHERE start IS NOT NULL")
    with op.batch_alter_table("memos") as batch:
        batch.drop_constraint("ck_memos_anchor", type_="check")
        batch.drop_column("end")
        batch.drop_column("start")
