"""Support requests municipalities post (支援依頼)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.account import User
from talentpool.models.base import Base, LabelledEnum, link_table, utcnow
from talentpool.models.region import Municipality, Prefecture
from talentpool.models.taxonomy import TaxonomyTerm


class RequestState(LabelledEnum):
    draft = "draft", _l("下書き")
    open = "open", _l("募集中")
    partially_filled = "partially_filled", _l("一部充足")
    filled = "filled", _l("充足")
    #: Still recruiting when its end date passed: the owner extends or closes it.
    expired = "expired", _l("期間切れ(要対応)")
    closed = "closed", _l("終了")
    cancelled = "cancelled", _l("取消")


class Funding(LabelledEnum):
    bond = "bond", _l("デジタル活用推進事業債")
    special_tax = "special_tax", _l("特別交付税")
    own = "own", _l("単独費")
    other = "other", _l("その他")


#: Focus areas and skills a request needs (taxonomy codes of any category).
request_skill = link_table(
    "request_skill", ("request_id", "support_request.id"), ("term_code", "taxonomy_term.code")
)


class SupportRequest(Base):
    __tablename__ = "support_request"
    __repr_attrs__ = ("id", "title")
    __table_args__ = (
        UniqueConstraint("prefecture_id", "external_id"),
        CheckConstraint("hours_per_month > 0", name="hours_positive"),
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="dates_in_order",
        ),
        # every signed-in page asks for recruiting requests past their end date (expire_ended)
        Index("ix_support_request_state_end_date", "state", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Denormalised from the municipality so every prefecture-scoped query is one filter.
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    hours_per_month: Mapped[int]
    headcount: Mapped[int] = mapped_column(default=1)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    onsite_required: Mapped[bool] = mapped_column(default=False)
    wants_cio: Mapped[bool] = mapped_column(default=False)
    funding: Mapped[str | None] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20), default=RequestState.draft, index=True)
    #: The state a closed or cancelled request returns to when it is reopened.
    reopen_state: Mapped[str | None] = mapped_column(String(20))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the request was first opened to recruiting (reports: time to fill).
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prefecture: Mapped[Prefecture] = relationship()
    municipality: Mapped[Municipality] = relationship()
    skills: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=request_skill, order_by=TaxonomyTerm.position
    )
    created_by: Mapped[User | None] = relationship()
