"""Offers remember the matcher's view when sent and the decline reason's code;
prefectures keep the weights learned from their outcomes

Revision ID: 0070
Revises: 0060
Create Date: 2026-12-01 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0070"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decline_code", sa.String(length=20), nullable=False, server_default="")
        )
    op.create_table(
        "offer_snapshot",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("components", sa.JSON(), nullable=True),
        sa.Column("learned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offer.id"],
            name=op.f("fk_offer_snapshot_offer_id_offer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_offer_snapshot")),
    )
    with op.batch_alter_table("offer_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_snapshot_source"), ["source"], unique=False)
    op.create_table(
        "learned_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefecture_id", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("outcomes", sa.Integer(), nullable=False),
        sa.Column("train_count", sa.Integer(), nullable=False),
        sa.Column("test_count", sa.Integer(), nullable=False),
        sa.Column("default_auc", sa.Double(), nullable=False),
        sa.Column("learned_auc", sa.Double(), nullable=False),
        sa.Column("validated", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.Column("fitted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_learned_weights_fitted_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["prefecture_id"],
            ["prefecture.id"],
            name=op.f("fk_learned_weights_prefecture_id_prefecture"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_weights")),
        sa.UniqueConstraint("prefecture_id", name=op.f("uq_learned_weights_prefecture_id")),
    )


def downgrade() -> None:
    op.drop_table("learned_weights")
    with op.batch_alter_table("offer_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_snapshot_source"))
    op.drop_table("offer_snapshot")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_column("decline_code")
