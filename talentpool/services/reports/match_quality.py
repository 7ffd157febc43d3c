"""Matching quality of a fiscal year: how offers did by where the matcher placed them.

Offers count in the year they were sent. An offer is *answered* when accepted, declined or
lapsed (a withdrawn or unanswered one says nothing about the pair); the acceptance rate is
accepted / answered. The rank and score are the offer's snapshot (services.matching.outcomes);
offers sent before snapshots existed are counted apart as "unknown". Requests count in the
year they were published (published_at, else created_at). Figures are per prefecture and
hold no personal data, so the national page shows them side by side.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Offer,
    OfferSnapshot,
    OfferState,
    Rating,
    SupportRequest,
)
from talentpool.services.reports.periods import POSTED, utc_bounds

#: Rank positions of the report: (key, lowest rank, highest rank; None: no bound).
RANK_BUCKETS = (("1", 1, 1), ("2-3", 2, 3), ("4-10", 4, 10), ("11+", 11, None))
#: Score bands for the mean rating: (key, lower bound inclusive, upper bound exclusive).
SCORE_BANDS = (
    ("<0.4", 0.0, 0.4),
    ("0.4-0.5", 0.4, 0.5),
    ("0.5-0.6", 0.5, 0.6),
    ("0.6-0.7", 0.6, 0.7),
    ("0.7+", 0.7, 1.01),
)
ANSWERED = (OfferState.accepted, OfferState.declined, OfferState.lapsed)


@dataclass
class Rate:
    answered: int = 0
    accepted: int = 0

    @property
    def percent(self) -> float | None:
        return round(self.accepted * 100 / self.answered, 1) if self.answered else None


@dataclass
class Ratings:
    scores: list[int] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return round(statistics.mean(self.scores), 2) if self.scores else None


@dataclass
class MatchQuality:
    """One prefecture's figures for one fiscal year."""

    #: Rank bucket key (RANK_BUCKETS, "hand", "unknown") → acceptance.
    by_rank: dict[str, Rate]
    #: Score band key (SCORE_BANDS) → ratings of the assignments those offers became.
    by_score: dict[str, Ratings]
    days_to_offer: list[float]
    days_to_accept: list[float]
    requests: int
    requests_with_person: int
    #: Decline code → count ("" = declined without a code).
    declines: Counter

    @staticmethod
    def median(days: list[float]) -> float | None:
        return round(statistics.median(days), 1) if days else None

    @property
    def person_percent(self) -> float | None:
        return round(self.requests_with_person * 100 / self.requests, 1) if self.requests else None


def _empty() -> MatchQuality:
    return MatchQuality(
        {key: Rate() for key in [*(b[0] for b in RANK_BUCKETS), "hand", "unknown"]},
        {key: Ratings() for key, _lo, _hi in SCORE_BANDS},
        [],
        [],
        0,
        0,
        Counter(),
    )


def rank_bucket(source: str | None, rank: int | None) -> str:
    if source is None:
        return "unknown"
    if source == "hand" or rank is None:
        return "hand"
    return next(k for k, lo, hi in RANK_BUCKETS if rank >= lo and (hi is None or rank <= hi))


def score_band(score: float) -> str:
    return next(k for k, lo, hi in SCORE_BANDS if lo <= score < hi)


def _days(later, earlier) -> float:
    return max((later - earlier).total_seconds() / 86400, 0.0)


def build(year: int, prefecture_id: int | None = None) -> dict[int, MatchQuality]:
    """Figures per prefecture (only ``prefecture_id`` when given), in four queries."""
    start, end = utc_bounds(year)
    out: dict[int, MatchQuality] = defaultdict(_empty)
    where = [Offer.sent_at >= start, Offer.sent_at < end]
    if prefecture_id is not None:
        where.append(Offer.prefecture_id == prefecture_id)
        out[prefecture_id] = _empty()
    offers = db.session.execute(
        select(
            Offer.prefecture_id,
            Offer.state,
            Offer.decline_code,
            OfferSnapshot.source,
            OfferSnapshot.rank,
            OfferSnapshot.score,
            Rating.score,
        )
        .outerjoin(OfferSnapshot, OfferSnapshot.offer_id == Offer.id)
        .outerjoin(Assignment, Assignment.offer_id == Offer.id)
        .outerjoin(Rating, Rating.assignment_id == Assignment.id)
        .where(*where)
    )
    for pid, state, code, source, rank, score, rating in offers:
        figures = out[pid]
        if state in ANSWERED:
            rate = figures.by_rank[rank_bucket(source, rank)]
            rate.answered += 1
            rate.accepted += state == OfferState.accepted
        if state == OfferState.declined:
            figures.declines[code or ""] += 1
        if rating is not None and score is not None:
            figures.by_score[score_band(score)].scores.append(rating)

    published = func.coalesce(SupportRequest.published_at, SupportRequest.created_at)
    req_where = [
        published >= start,
        published < end,
        SupportRequest.state.in_(POSTED),
    ]
    if prefecture_id is not None:
        req_where.append(SupportRequest.prefecture_id == prefecture_id)
    first_offer = (
        select(Offer.request_id, func.min(Offer.sent_at).label("at"))
        .group_by(Offer.request_id)
        .subquery()
    )
    first_accept = (
        select(Assignment.request_id, func.min(Assignment.created_at).label("at"))
        .group_by(Assignment.request_id)
        .subquery()
    )
    rows = db.session.execute(
        select(SupportRequest.prefecture_id, published, first_offer.c.at, first_accept.c.at)
        .outerjoin(first_offer, first_offer.c.request_id == SupportRequest.id)
        .outerjoin(first_accept, first_accept.c.request_id == SupportRequest.id)
        .where(*req_where)
    )
    for pid, at, offered, accepted in rows:
        figures = out[pid]
        figures.requests += 1
        if offered is not None:
            figures.days_to_offer.append(_days(offered, at))
        if accepted is not None:
            figures.requests_with_person += 1
            figures.days_to_accept.append(_days(accepted, at))
    return dict(out)
