"""Offers (打診), the assignments they become, monthly activity, ratings and notifications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.account import User
from talentpool.models.base import Base, LabelledEnum, utcnow
from talentpool.models.region import Municipality
from talentpool.models.request import SupportRequest
from talentpool.models.talent import Talent

#: Why a talent declines, from a short list (Offer.decline_code); "other" needs a text.
DECLINE_CODES = {
    "hours": _l("時間が合わない"),
    "field": _l("分野が合わない"),
    "place": _l("場所・働き方"),
    "timing": _l("時期"),
    "other": _l("その他"),
}


class OfferState(LabelledEnum):
    sent = "sent", _l("回答待ち")
    accepted = "accepted", _l("受諾")
    declined = "declined", _l("辞退")
    withdrawn = "withdrawn", _l("取り下げ")
    lapsed = "lapsed", _l("失効")


class AssignmentState(LabelledEnum):
    active = "active", _l("派遣中")
    completed = "completed", _l("完了")
    ended_early = "ended_early", _l("途中終了")


class OfferTerms:
    """What an offer proposes and its assignment keeps: which talent, on which request,
    how many hours a month, from when to when."""

    request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id"), index=True)
    hours_per_month: Mapped[int]
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]


class Offer(OfferTerms, Base):
    """A proposal the coordinator sent to a talent, and who answered it how and when."""

    __tablename__ = "offer"
    __repr_attrs__ = ("id", "state")
    __table_args__ = (
        CheckConstraint("hours_per_month > 0", name="hours_positive"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="dates_in_order",
        ),
        # One unanswered offer per request and talent, whatever two coordinators do at once.
        Index(
            "uq_offer_one_sent_per_request_talent",
            "request_id",
            "talent_id",
            unique=True,
            sqlite_where=text("state = 'sent'"),
            postgresql_where=text("state = 'sent'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Denormalised from the request so every prefecture-scoped query is one filter.
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    reply_by: Mapped[date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(20), default=OfferState.sent, index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    #: The talent's reason from a short list (DECLINE_CODES), "" if none.
    decline_code: Mapped[str] = mapped_column(String(20), default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Who accepted, declined or withdrew it (None when it lapsed), and when.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]

    request: Mapped[SupportRequest] = relationship()
    talent: Mapped[Talent] = relationship()
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    assignment: Mapped[Assignment | None] = relationship(back_populates="offer")


class Assignment(OfferTerms, Base):
    """An accepted offer: who supports which municipality, how many hours, for how long."""

    __tablename__ = "assignment"
    __repr_attrs__ = ("id", "state")
    __table_args__ = (
        CheckConstraint("hours_per_month > 0", name="hours_positive"),
        CheckConstraint("monthly_fee IS NULL OR monthly_fee >= 0", name="fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), unique=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=AssignmentState.active, index=True)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    #: Yen per month where a fee is paid (reports); None when unpaid or unknown.
    monthly_fee: Mapped[int | None]
    #: Copied from the request's wants_cio: the special-allocation-tax CIO-assistant cost.
    cio_assistant: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    offer: Mapped[Offer] = relationship(back_populates="assignment")
    municipality: Mapped[Municipality] = relationship()
    request: Mapped[SupportRequest] = relationship()
    talent: Mapped[Talent] = relationship()
    ended_by: Mapped[User | None] = relationship()
    activity: Mapped[list[ActivityLog]] = relationship(
        back_populates="assignment", order_by="ActivityLog.month"
    )
    rating: Mapped[Rating | None] = relationship(back_populates="assignment")


class ActivityLog(Base):
    """Hours and notes of one month of an assignment (month = its first day)."""

    __tablename__ = "activity_log"
    __table_args__ = (
        UniqueConstraint("assignment_id", "month"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    month: Mapped[date]
    hours: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="activity")


class Rating(Base):
    """The municipality's rating of a completed assignment (one per assignment)."""

    __tablename__ = "rating"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="rating")
    rated_by: Mapped[User | None] = relationship()


class Notification(Base):
    """An in-app notice; its text is rendered from `kind` and `params` in the reader's language."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    #: Set for reminders that must reach a user once only (e.g. "lapsing:offer:12").
    key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
