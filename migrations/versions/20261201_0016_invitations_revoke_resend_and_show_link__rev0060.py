"""Invitations can be revoked, resent and their link shown again; one open per e-mail

Revision ID: 0060
Revises: 0042
Create Date: 2026-12-01 14:16:56.573548
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0060"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("used_at IS NULL AND revoked_at IS NULL")

#: Before the unique index: of several open invitations to one address, the newest stays and
#: the older ones count as resent (replaced by the newest).
CLOSE_OLDER_DUPLICATES = sa.text(
    """
    UPDATE invitation SET revoked_at = :now, replaced_by_id = (
        SELECT max(newer.id) FROM invitation AS newer
        WHERE newer.email = invitation.email AND newer.used_at IS NULL
    )
    WHERE used_at IS NULL AND id < (
        SELECT max(newer.id) FROM invitation AS newer
        WHERE newer.email = invitation.email AND newer.used_at IS NULL
    )
    """
)


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_nonce", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_invitation_talent_id"), ["talent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invitation_revoked_by_id_user_account"),
            "user_account",
            ["revoked_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_invitation_replaced_by_id_invitation"),
            "invitation",
            ["replaced_by_id"],
            ["id"],
        )
    op.execute(CLOSE_OLDER_DUPLICATES.bindparams(now=datetime.now(UTC).replace(tzinfo=None)))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            "uq_invitation_one_open_per_email",
            ["email"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("uq_invitation_one_open_per_email")
        batch_op.drop_constraint(
            batch_op.f("fk_invitation_replaced_by_id_invitation"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_invitation_revoked_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_invitation_talent_id"))
        batch_op.drop_column("replaced_by_id")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("link_nonce")
