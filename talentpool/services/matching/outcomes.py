"""What happened to offers, remembered to learn from: the matcher's view of each offer
when it was sent (score, rank, components, source), the talent's decline reasons, and
the component weights learned from them (matching.learning) with their switch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    LearnedWeights,
    Offer,
    OfferSnapshot,
    OfferSource,
    OfferState,
    Rating,
    Role,
    User,
    utcnow,
)
from talentpool.services.clock import today
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.matching import bridge


def snapshot(offers: Sequence[Offer], source: str) -> None:
    """Store each offer's pair as the ranking shows it right now (one pool and one scoring
    per prefecture, whatever the count); a pair the matcher would not propose keeps
    no score."""
    source = OfferSource(source)
    by_prefecture: dict[int, list[Offer]] = defaultdict(list)
    for offer in offers:
        by_prefecture[offer.prefecture_id].append(offer)
    for prefecture_id, group in by_prefecture.items():
        requests = list({o.request_id: o.request for o in group}.values())
        pool = bridge.prepare_pool(prefecture_id)
        found = pool.index.explain_pairs(
            bridge.request_specs(requests),
            [(str(o.request_id), str(o.talent_id)) for o in group],
            bridge.policy_for(requests[0].prefecture),
            ranked=True,
        )
        for offer in group:
            proposal = found.get((str(offer.request_id), str(offer.talent_id)))
            db.session.add(
                OfferSnapshot(
                    offer_id=offer.id,
                    source=source,
                    score=proposal.score if proposal else None,
                    rank=proposal.rank if proposal else None,
                    components=proposal.features.as_dict() if proposal else None,
                    learned=pool.learned,
                )
            )
    db.session.flush()


#: How far back a decline is shown on the ranking.
DECLINE_MEMORY_DAYS = 365


def recent_declines(talent_ids: Collection[int]) -> dict[int, list[Offer]]:
    """Each talent's declines with a reason code in the last DECLINE_MEMORY_DAYS, newest
    first (one query), so the ranking can mark e.g. who declined for hours."""
    if not talent_ids:
        return {}
    since = datetime.combine(today() - timedelta(days=DECLINE_MEMORY_DAYS), datetime.min.time())
    rows = db.session.scalars(
        select(Offer)
        .where(
            Offer.talent_id.in_(talent_ids),
            Offer.state == OfferState.declined,
            Offer.decline_code != "",
            Offer.decided_at >= since,
        )
        .order_by(Offer.decided_at.desc(), Offer.id.desc())
    )
    out: dict[int, list[Offer]] = defaultdict(list)
    for offer in rows:
        out[offer.talent_id].append(offer)
    return dict(out)


#: A rating at or below this makes an accepted offer a poor outcome for learning.
POOR_RATING = 2
#: Answered offers: the ones the learning counts.
ANSWERED = (OfferState.accepted, OfferState.declined, OfferState.lapsed)


def learning_outcomes(prefecture_id: int) -> list:
    """The prefecture's answered offers with a snapshot, as the learner's Outcomes: good
    when accepted and not rated poorly (one query)."""
    from talentpool.matching.learning import Outcome

    rows = db.session.execute(
        select(Offer.sent_at, Offer.id, Offer.state, OfferSnapshot.components, Rating.score)
        .join(OfferSnapshot, OfferSnapshot.offer_id == Offer.id)
        .outerjoin(Assignment, Assignment.offer_id == Offer.id)
        .outerjoin(Rating, Rating.assignment_id == Assignment.id)
        .where(
            Offer.prefecture_id == prefecture_id,
            Offer.state.in_(ANSWERED),
            OfferSnapshot.components.is_not(None),
        )
    ).all()
    return [
        Outcome(
            (sent_at, offer_id),
            components,
            state == OfferState.accepted and (rating is None or rating > POOR_RATING),
        )
        for sent_at, offer_id, state, components, rating in rows
    ]


def learned_row(prefecture_id: int) -> LearnedWeights | None:
    return db.session.scalar(
        select(LearnedWeights).where(LearnedWeights.prefecture_id == prefecture_id)
    )


def _ensure_coordinator(user: User) -> None:
    if user.role != Role.coordinator:
        raise NotAllowed(_l("重みの学習は都道府県担当者だけが行えます。"))


def learn(coordinator: User) -> LearnedWeights:
    """Fit the prefecture's weights on its outcomes and keep the result with its
    validation figures. Below MIN_OUTCOMES nothing changes (DomainError). Weights that do
    not beat the defaults are kept for the record but switched off."""
    from talentpool.matching.learning import MIN_OUTCOMES, fit_weights

    _ensure_coordinator(coordinator)
    found = learning_outcomes(coordinator.prefecture_id)
    fit = fit_weights(found, bridge.tables()[0].components)
    if fit.reason == "too_few":
        raise DomainError(
            _l(
                "学習には回答済みの打診が%(min)d件必要です(現在%(n)d件)。既定の重みのままです。",
                min=MIN_OUTCOMES,
                n=len(found),
            )
        )
    if fit.weights is None:
        raise DomainError(_l("回答がすべて同じ結果のため、学習できません。既定の重みのままです。"))
    row = learned_row(coordinator.prefecture_id)
    if row is None:
        row = LearnedWeights(prefecture_id=coordinator.prefecture_id)
        db.session.add(row)
    row.weights = fit.weights
    row.outcomes, row.train_count, row.test_count = fit.outcomes, fit.train, fit.test
    row.default_auc, row.learned_auc = fit.default_auc, fit.learned_auc
    row.validated = fit.validated
    row.enabled = row.enabled and fit.validated
    row.fitted_at = utcnow()
    row.fitted_by_id = coordinator.id
    db.session.flush()
    return row


def switch(coordinator: User, enabled: bool) -> LearnedWeights | None:
    """Use the validated learned weights for the prefecture's ranking and plan, or go
    back to the defaults."""
    _ensure_coordinator(coordinator)
    row = learned_row(coordinator.prefecture_id)
    if enabled and (row is None or not row.validated):
        raise DomainError(
            _l("既定の重みを上回ると検証された学習済みの重みがないため、切り替えられません。")
        )
    if row is not None and row.enabled != enabled:
        row.enabled = enabled
        db.session.flush()
    return row
