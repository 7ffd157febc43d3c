"""Match plans a coordinator computed, adjusted and sent as offers (マッチング計画)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.account import User
from talentpool.models.base import Base, utcnow
from talentpool.models.request import SupportRequest
from talentpool.models.talent import Talent


class PlanStatus(StrEnum):
    draft = "draft"  # being adjusted; at most one per prefecture is current
    sent = "sent"  # its pairs went out as offers
    replaced = "replaced"  # a newer plan was computed before this one was sent


class MatchPlan(Base):
    """One computed plan for a prefecture's open requests, with its quality certificate.

    The scores and bounds are as computed; `total_score` follows the coordinator's edits.
    """

    __tablename__ = "match_plan"
    __repr_attrs__ = ("id", "status")

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fairness: Mapped[bool] = mapped_column(default=True)
    #: The lowest pair score the coordinator let the plan use (0: no threshold).
    min_score: Mapped[float] = mapped_column(default=0.0)
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.draft, index=True)
    #: The solver's own status ("optimal", "time_limit", "fallback_greedy (…)").
    solver_status: Mapped[str] = mapped_column(String(60), default="")
    total_score: Mapped[float] = mapped_column(default=0.0)
    #: Total score plus fairness bonuses, the LP-relaxation bound of it and their gap.
    objective: Mapped[float] = mapped_column(default=0.0)
    lp_bound: Mapped[float] = mapped_column(default=0.0)
    gap: Mapped[float] = mapped_column(default=0.0)
    #: The plain greedy plan on the same edges, for comparison: its score and coverage.
    greedy_total: Mapped[float] = mapped_column(default=0.0)
    greedy_covered: Mapped[int] = mapped_column(default=0)
    open_requests: Mapped[int] = mapped_column(default=0)
    open_seats: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
    items: Mapped[list[MatchPlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="MatchPlanItem.id"
    )


class MatchPlanItem(Base):
    """One pair of a plan: a talent placed on a request for its hours per month."""

    __tablename__ = "match_plan_item"
    __table_args__ = (UniqueConstraint("plan_id", "request_id", "talent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("match_plan.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id"), index=True)
    score: Mapped[float]
    hours: Mapped[int]
    #: Reason codes with parameters (matching.Reason.as_dict); plain strings in plans
    #: computed before reasons had codes.
    reasons: Mapped[list] = mapped_column(JSON, default=list)

    plan: Mapped[MatchPlan] = relationship(back_populates="items")
    request: Mapped[SupportRequest] = relationship()
    talent: Mapped[Talent] = relationship()
