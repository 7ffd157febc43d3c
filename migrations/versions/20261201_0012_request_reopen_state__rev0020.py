"""Requests remember the state they were closed or cancelled from

Revision ID: 0020
Revises: 0031
Create Date: 2026-12-01 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopen_state", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.drop_column("reopen_state")
