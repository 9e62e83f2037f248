"""the pseudonym list: identifiers, their pseudonyms and review status, and their surface forms

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:30:00

``qualcode pseudonyms`` proposes identifiers found in the project (people, places, case
numbers...) and a reviewer accepts or rejects them; a share package replaces every accepted
form with its pseudonym. Two new tables; nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "person",
    "place",
    "organisation",
    "case number",
    "date",
    "phone",
    "email",
    "address",
    "other identifier",
)
STATUSES = ("candidate", "accepted", "rejected")


def upgrade() -> None:
    op.create_table(
        "pseudonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "category IN (" + ", ".join(f"'{c}'" for c in CATEGORIES) + ")",
            name=op.f("ck_pseudonyms_category"),
        ),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{c}'" for c in STATUSES) + ")",
            name=op.f("ck_pseudonyms_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pseudonyms")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_pseudonyms_pseudonym")),
    )
    op.create_table(
        "pseudonym_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["pseudonym_id"],
            ["pseudonyms.id"],
            name=op.f("fk_pseudonym_forms_pseudonym_id_pseudonyms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pseudonym_forms")),
        sa.UniqueConstraint("form", name=op.f("uq_pseudonym_forms_form")),
    )
    op.create_index(
        op.f("ix_pseudonym_forms_pseudonym_id"), "pseudonym_forms", ["pseudonym_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pseudonym_forms_pseudonym_id"), table_name="pseudonym_forms")
    op.drop_table("pseudonym_forms")
    op.drop_table("pseudonyms")
