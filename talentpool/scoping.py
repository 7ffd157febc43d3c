"""Tenant-scoped queries: every list starts here, so none can forget whose data it shows."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from talentpool.models import Assignment, Municipality, Offer, Role, SupportRequest, Talent, User


def municipalities_for(user: User) -> Select[tuple[Municipality]]:
    """Municipalities a user works with."""
    query = select(Municipality).order_by(Municipality.lg_code)
    if user.role == Role.national_admin:
        return query
    if user.role == Role.coordinator:
        return query.where(Municipality.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(Municipality.id == user.municipality_id)
    return query.where(false())


def talent_for(user: User) -> Select[tuple[Talent]]:
    """Pool profiles a user may open: own prefecture's pool, or one's own profile."""
    query = select(Talent)
    if user.role == Role.coordinator:
        return query.where(Talent.prefecture_id == user.prefecture_id)
    if user.role == Role.talent:
        return query.where(Talent.user_id == user.id)
    return query.where(false())


def requests_for(user: User) -> Select[tuple[SupportRequest]]:
    """Support requests a user may open: own prefecture's, or own municipality's."""
    query = select(SupportRequest)
    if user.role == Role.coordinator:
        return query.where(SupportRequest.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(SupportRequest.municipality_id == user.municipality_id)
    return query.where(false())


def offers_for(user: User) -> Select[tuple[Offer]]:
    """Offers a user may open: own prefecture's, or those made to oneself."""
    query = select(Offer)
    if user.role == Role.coordinator:
        return query.where(Offer.prefecture_id == user.prefecture_id)
    if user.role == Role.talent:
        return query.join(Talent, Offer.talent_id == Talent.id).where(Talent.user_id == user.id)
    return query.where(false())


def assignments_for(user: User) -> Select[tuple[Assignment]]:
    """Assignments a user may open: own prefecture's, own municipality's, or one's own."""
    query = select(Assignment)
    if user.role == Role.coordinator:
        return query.where(Assignment.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(Assignment.municipality_id == user.municipality_id)
    if user.role == Role.talent:
        return query.join(Talent, Assignment.talent_id == Talent.id).where(
            Talent.user_id == user.id)
    return query.where(false())
