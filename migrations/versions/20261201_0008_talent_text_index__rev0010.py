"""The matcher's stored word analysis of each talent's text

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "talent_text_index",
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"],
            ["talent.id"],
            name=op.f("fk_talent_text_index_talent_id_talent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("talent_id", name=op.f("pk_talent_text_index")),
    )


def downgrade() -> None:
    op.drop_table("talent_text_index")
