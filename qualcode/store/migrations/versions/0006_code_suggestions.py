"""code suggestions: training runs, their suggestions, and rejected suggestions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:40:00

New tables only; nothing existing changes. A training run (suggestion_models) keeps its
settings and held-out evaluation as JSON, never a pickled model.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=50), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("coders", sa.JSON(), nullable=False),
        sa.Column("min_precision", sa.Float(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_models")),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_suggestions_span")),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["suggestion_models.id"],
            name=op.f("fk_suggestions_model_id_suggestion_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_suggestions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_suggestions_code_id_codes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
    )
    op.create_index(
        op.f("ix_suggestions_model_id"), "suggestions", ["model_id"], unique=False
    )
    op.create_index(
        "ix_suggestions_doc_code", "suggestions", ["document_id", "code_id"], unique=False
    )
    op.create_table(
        "suggestion_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            'start >= 0 AND start < "end"', name=op.f("ck_suggestion_rejections_span")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_suggestion_rejections_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_suggestion_rejections_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["coders.id"],
            name=op.f("fk_suggestion_rejections_coder_id_coders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_rejections")),
        sa.UniqueConstraint(
            "document_id",
            "code_id",
            "start",
            "end",
            name=op.f("uq_suggestion_rejections_document_id_code_id_start_end"),
        ),
    )
    op.create_index(
        op.f("ix_suggestion_rejections_document_id"),
        "suggestion_rejections",
        ["document_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestion_rejections_document_id"), "suggestion_rejections")
    op.drop_table("suggestion_rejections")
    op.drop_index("ix_suggestions_doc_code", "suggestions")
    op.drop_index(op.f("ix_suggestions_model_id"), "suggestions")
    op.drop_table("suggestions")
    op.drop_table("suggestion_models")
