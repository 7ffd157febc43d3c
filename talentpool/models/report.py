"""Figures the reports need that no other area records: the prefecture's recruitment costs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentpool.models.base import Base, utcnow


class RecruitmentExpense(Base):
    """A recruitment cost for digital talent (募集経費) the prefecture paid.

    Never deleted: a wrong entry is voided, so the fiscal report can be traced back.
    """

    __tablename__ = "recruitment_expense"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index("ix_recruitment_expense_prefecture_year", "prefecture_id", "fiscal_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"))
    #: The fiscal year the cost is charged to (the payment date's, or the year before for
    #: payments in the April–May closing period, 出納整理期間).
    fiscal_year: Mapped[int]
    spent_on: Mapped[date]
    description: Mapped[str] = mapped_column(String(200))
    #: Yen, tax included.
    amount: Mapped[int]
    vendor: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    void: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
