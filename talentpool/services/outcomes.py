"""What happened to offers, remembered to learn from: the matcher's view of each offer
when it was sent (score, rank, components, source) and the talent's decline reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Offer, OfferSnapshot, OfferSource, OfferState
from talentpool.services import matching
from talentpool.services.clock import today


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
        pool = matching.prepare_pool(prefecture_id)
        found = pool.index.explain_pairs(
            matching.request_specs(requests),
            [(str(o.request_id), str(o.talent_id)) for o in group],
            matching.policy_for(requests[0].prefecture),
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
