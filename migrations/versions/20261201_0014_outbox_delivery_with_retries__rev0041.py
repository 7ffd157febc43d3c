"""Outbox delivery state: attempts, next attempt, last error, given up; its prefecture

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-01 14:19:48.957592
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prefecture_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(), nullable=True))
    # Mail already in the outbox is due from when it was written.
    op.execute(sa.text("UPDATE outbox_message SET next_attempt_at = created_at"))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("next_attempt_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("attempts", existing_type=sa.Integer(), server_default=None)
        batch_op.create_index(
            "ix_outbox_message_due", ["sent_at", "failed_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_message_prefecture_id"), ["prefecture_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_prefecture_id_prefecture"),
            "prefecture",
            ["prefecture_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_message_prefecture_id_prefecture"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_message_prefecture_id"))
        batch_op.drop_index("ix_outbox_message_due")
        batch_op.drop_column("failed_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("prefecture_id")
