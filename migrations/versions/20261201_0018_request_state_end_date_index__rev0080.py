"""An index for the recruiting requests past their end date (asked on every signed-in page)

Revision ID: 0080
Revises: 0070
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0080"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_support_request_state_end_date", "support_request", ["state", "end_date"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_support_request_state_end_date", table_name="support_request")
