"""What a notice about an offer says and links to; below offers.lifecycle so that accepting
an invitation (services.accounts.users) can announce the offers waiting for the new account."""

from __future__ import annotations

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Offer, OfferState, Talent, User
from talentpool.services.clock import today
from talentpool.services.notifications import notify, path_for


def params_of(offer: Offer) -> dict:
    """What a notice about this offer says (plain JSON values)."""
    req = offer.request
    return {
        "title": req.title,
        "municipality": req.municipality.name,
        "talent": offer.talent.name,
        "reply_by": offer.reply_by.isoformat(),
        "hours": offer.hours_per_month,
    }


def offer_link(offer: Offer) -> str:
    """The offer's page, where every notice about it leads."""
    return path_for("offers.detail", offer_id=offer.id)


def announce_waiting_offers(talent: Talent, user: User) -> int:
    """Notify a talent who has just set their password of the offers sent to them while
    they were invited (those still open); returns how many."""
    waiting = db.session.scalars(
        select(Offer)
        .where(
            Offer.talent_id == talent.id,
            Offer.state == OfferState.sent,
            Offer.reply_by >= today(),
        )
        .order_by(Offer.id)
    ).all()
    for offer in waiting:
        notify([user], "offer_received", params_of(offer), offer_link(offer))
    return len(waiting)
