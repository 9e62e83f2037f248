"""document texts in a table of their own; documents.length holds each text's length

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:40:00

A document's text (often hundreds of KB) was a column of ``documents``, stored before
``participant_id``: every query that joined documents for a participant or a name read through
the text on SQLite. The texts move, unchanged, into ``document_texts`` (one row per document);
``documents.length`` keeps each text's length in code points (Python's ``len``), so lists of
documents need not read texts either. The downgrade puts the texts back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

documents = sa.table("documents", sa.column("id"), sa.column("text"), sa.column("length"))


def upgrade() -> None:
    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_texts_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_texts")),
    )
    op.execute("INSERT INTO document_texts (document_id, text) SELECT id, text FROM documents")
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("length", sa.Integer(), nullable=True))
    bind = op.get_bind()
    # lengths in code points, counted by Python (SQLite's length() stops at a NUL)
    lengths = [
        {"doc_id": doc_id, "n": len(body)}
        for doc_id, body in bind.execute(sa.select(documents.c.id, documents.c.text))
    ]
    if lengths:
        bind.execute(
            sa.update(documents)
            .where(documents.c.id == sa.bindparam("doc_id"))
            .values(length=sa.bindparam("n")),
            lengths,
        )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("length", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
    op.execute(
        "UPDATE documents SET text = "
        "(SELECT t.text FROM document_texts t WHERE t.document_id = documents.id)"
    )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.drop_column("length")
    op.drop_table("document_texts")
