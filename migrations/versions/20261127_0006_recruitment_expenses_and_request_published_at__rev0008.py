"""Recruitment expenses and request publication time

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 04:16:31.857827
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recruitment_expense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefecture_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("void", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_recruitment_expense_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_recruitment_expense_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["prefecture_id"],
            ["prefecture.id"],
            name=op.f("fk_recruitment_expense_prefecture_id_prefecture"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_expense")),
    )
    with op.batch_alter_table("recruitment_expense", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recruitment_expense_prefecture_year", ["prefecture_id", "fiscal_year"], unique=False
        )

    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
    # Requests already past draft: their creation is the best publication time we know.
    op.execute(
        sa.text("UPDATE support_request SET published_at = created_at WHERE state NOT IN ('draft')")
    )


def downgrade() -> None:
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.drop_column("published_at")

    with op.batch_alter_table("recruitment_expense", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_expense_prefecture_year")

    op.drop_table("recruitment_expense")
