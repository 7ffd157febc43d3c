"""Outgoing e-mail and each user's choice of which notices also come by mail.

Mail is written to the outbox in the same transaction as the change it reports, and leaves
from there: `talentpool send-mail` delivers it after the commit, with retries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentpool.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: Whose coordinators look after this mail (None: the national administrators do).
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When `send-mail` may (next) try it; moved forward by each failure (back-off).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
    #: Set when delivery was given up (refused for good, or too many failures).
    failed_at: Mapped[datetime | None]


class MailOptOut(Base):
    """A kind of notice the user reads in the app only, without the e-mail copy."""

    __tablename__ = "mail_opt_out"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
