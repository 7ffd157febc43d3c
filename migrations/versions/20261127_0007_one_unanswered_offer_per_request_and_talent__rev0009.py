"""One unanswered offer per request and talent

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 04:38:24.702454
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENT = sa.text("state = 'sent'")


def upgrade() -> None:
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index(
            "uq_offer_one_sent_per_request_talent",
            ["request_id", "talent_id"],
            unique=True,
            sqlite_where=SENT,
            postgresql_where=SENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index("uq_offer_one_sent_per_request_talent")
