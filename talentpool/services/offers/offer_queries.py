"""List queries of the offers area, always started from the tenant-scoped helpers."""

from __future__ import annotations

from sqlalchemy import Select, case
from sqlalchemy.orm import selectinload

from talentpool import scoping, sorting
from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    AssignmentState,
    Offer,
    OfferState,
    Role,
    SupportRequest,
    Talent,
    User,
)
from talentpool.services.clock import today
from talentpool.services.offers.assignments import PHASES, in_phase
from talentpool.services.offers.lifecycle import state_shown
from talentpool.services.search import with_keywords


def _matching_text(query: Select, q: str) -> Select:
    """Keep rows whose talent or request text holds every word of `q` (services.search)."""
    return with_keywords(query, q, Talent.search_text, SupportRequest.search_text)


OFFER_COLUMNS = {
    "state": sorting.Column((Offer.state,)),
    "talent": sorting.Column((Talent.name_kana,)),
    "request": sorting.Column((SupportRequest.title,)),
    "hours": sorting.Column((Offer.hours_per_month,), descending_first=True),
    "reply_by": sorting.Column((Offer.reply_by,)),
    "sent": sorting.Column((Offer.sent_at,), descending_first=True),
}
ASSIGNMENT_COLUMNS = {
    "state": sorting.Column((Assignment.state,)),
    "talent": sorting.Column((Talent.name_kana,)),
    "request": sorting.Column((SupportRequest.title,)),
    "hours": sorting.Column((Assignment.hours_per_month,), descending_first=True),
    "period": sorting.Column((Assignment.start_date, Assignment.end_date)),
}


def offers(
    user: User,
    q: str = "",
    state: str = "",
    municipality_id: int = 0,
    sort: sorting.Sort | None = None,
) -> Select:
    """The user's offers, filtered; by `sort`, else unanswered first and newest first."""
    query = (
        scoping.offers_for(user)
        .join(SupportRequest, Offer.request_id == SupportRequest.id)
        .options(  # what a list row shows, a query per kind for the page
            selectinload(Offer.talent),
            selectinload(Offer.request).selectinload(SupportRequest.municipality),
        )
    )
    if user.role != Role.talent:
        query = query.join(Talent, Offer.talent_id == Talent.id)
    query = _matching_text(query, q)
    if state in set(OfferState):
        query = query.where(Offer.state == state)
    if municipality_id:
        query = query.where(SupportRequest.municipality_id == municipality_id)
    if sort is not None and sort.key:
        return query.order_by(*sorting.order(OFFER_COLUMNS, sort, Offer.id))
    unanswered_first = case((Offer.state == OfferState.sent, 0), else_=1)
    return query.order_by(unanswered_first, Offer.sent_at.desc(), Offer.id.desc())


def assignments(
    user: User,
    q: str = "",
    state: str = "",
    municipality_id: int = 0,
    sort: sorting.Sort | None = None,
) -> Select:
    """The user's assignments, filtered; by `sort`, else active first and newest first."""
    query = (
        scoping.assignments_for(user)
        .join(SupportRequest, Assignment.request_id == SupportRequest.id)
        .options(
            selectinload(Assignment.talent),
            selectinload(Assignment.request),
            selectinload(Assignment.municipality),
        )
    )
    if user.role != Role.talent:
        query = query.join(Talent, Assignment.talent_id == Talent.id)
    query = _matching_text(query, q)
    if state in PHASES:
        query = query.where(in_phase(state))
    if municipality_id:
        query = query.where(Assignment.municipality_id == municipality_id)
    if sort is not None and sort.key:
        return query.order_by(*sorting.order(ASSIGNMENT_COLUMNS, sort, Assignment.id))
    active_first = case((Assignment.state == AssignmentState.active, 0), else_=1)
    return query.order_by(active_first, Assignment.created_at.desc(), Assignment.id.desc())


def seated_by_request(user: User, request_ids: list[int]) -> dict[int, list[Assignment]]:
    """Active and completed assignments of many requests in one query, by request id."""
    found: dict[int, list[Assignment]] = {request_id: [] for request_id in request_ids}
    if not request_ids:
        return found
    query = (
        scoping.assignments_for(user)
        .where(
            Assignment.request_id.in_(request_ids),
            Assignment.state.in_((AssignmentState.active, AssignmentState.completed)),
        )
        .options(selectinload(Assignment.talent))
        .order_by(Assignment.created_at)
    )
    for assignment in db.session.scalars(query):
        found[assignment.request_id].append(assignment)
    return found


def unrated_for(user: User) -> list[Assignment]:
    """Completed or ended-early assignments in the user's scope that have no rating yet."""
    query = (
        scoping.assignments_for(user)
        .where(
            Assignment.state.in_((AssignmentState.completed, AssignmentState.ended_early)),
            ~Assignment.rating.has(),
        )
        .order_by(Assignment.ended_at)
    )
    return list(db.session.scalars(query))


def for_request(user: User, request_id: int) -> dict:
    """What the request page shows of a request's offers and assignments, for this user.

    Officers get pending candidates without name or contact (skills and experience only).
    No lazy lapsing here (the page only reads): `states` shows overdue offers as lapsed.
    """
    assigned = db.session.scalars(
        scoping.assignments_for(user)
        .where(Assignment.request_id == request_id)
        .order_by(Assignment.created_at)
    ).all()
    if user.role == Role.municipal_officer:
        pending = db.session.scalars(
            scoping.offers_on_requests_for(user)
            .where(
                Offer.request_id == request_id,
                Offer.state == OfferState.sent,
                Offer.reply_by >= today(),
            )
            .order_by(Offer.sent_at)
        ).all()
        return {"assignments": assigned, "offers": [], "candidates": pending, "states": {}}
    offered = db.session.scalars(
        scoping.offers_for(user)
        .where(Offer.request_id == request_id)
        .order_by(Offer.sent_at.desc())
    ).all()
    states = {offer.id: state_shown(offer) for offer in offered}
    return {"assignments": assigned, "offers": offered, "candidates": [], "states": states}
