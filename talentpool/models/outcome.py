"""What the matcher said when an offer went out, and the weights learned from outcomes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from talentpool.models.account import User
from talentpool.models.base import Base, utcnow
from talentpool.models.offer import Offer


class OfferSource(StrEnum):
    ranking = "ranking"  # from the ranking page of the request
    plan = "plan"  # sent with a match plan
    hand = "hand"  # chosen by the coordinator from the whole pool


class OfferSnapshot(Base):
    """The pair's score, rank and standardised components as they were when the offer
    was sent (None where the pair was not a candidate of the matcher at that moment)."""

    __tablename__ = "offer_snapshot"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(10), default=OfferSource.hand, index=True)
    score: Mapped[float | None]
    #: 1 = the best of the request's candidates at that moment.
    rank: Mapped[int | None]
    #: {"lexical": z, "semantic": z, "skill": z, "hours": z, "evidence": z}
    components: Mapped[dict | None] = mapped_column(JSON)
    #: True when the prefecture's learned weights made the score.
    learned: Mapped[bool] = mapped_column(default=False)

    offer: Mapped[Offer] = relationship(backref=backref("snapshot", uselist=False))


class LearnedWeights(Base):
    """One prefecture's component weights fitted on its own answered offers.

    ``enabled`` is the coordinator's switch: only then do the ranking and the plan use
    ``weights``; the validation figures say why it was (or was not) offered.
    """

    __tablename__ = "learned_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), unique=True)
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    outcomes: Mapped[int] = mapped_column(default=0)
    train_count: Mapped[int] = mapped_column(default=0)
    test_count: Mapped[int] = mapped_column(default=0)
    default_auc: Mapped[float] = mapped_column(default=0.0)
    learned_auc: Mapped[float] = mapped_column(default=0.0)
    #: The learned weights beat the defaults on the newer outcomes (else never used).
    validated: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=False)
    fitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    fitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    fitted_by: Mapped[User | None] = relationship()
