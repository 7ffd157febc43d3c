"""Staged uploads in the database, shared by every app server

Revision ID: 0040
Revises: 0020
Create Date: 2026-12-01 14:19:48.957592
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staged_upload",
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user_account.id"],
            name=op.f("fk_staged_upload_owner_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_staged_upload")),
    )
    with op.batch_alter_table("staged_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staged_upload_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_staged_upload_owner_id"), ["owner_id"])


def downgrade() -> None:
    op.drop_table("staged_upload")
