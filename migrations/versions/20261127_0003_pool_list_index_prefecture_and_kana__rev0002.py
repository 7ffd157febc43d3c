"""Pool list index: prefecture and kana

Revision ID: 0002
Revises: 0006
Create Date: 2026-11-27 04:03:55.312465
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The pool list filters one prefecture and sorts by ふりがな (measured: bench/pool_list.py).
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.create_index(
            "ix_talent_prefecture_id_name_kana", ["prefecture_id", "name_kana"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.drop_index("ix_talent_prefecture_id_name_kana")
