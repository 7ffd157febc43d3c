"""Tenant-scoped queries: every list starts here, so none can forget whose data it shows."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from talentpool.models import Municipality, NationalListEntry, Role, SupportRequest, Talent, User


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


def national_entries_for(user: User) -> Select[tuple[NationalListEntry]]:
    """National-list entries: all for the national admin, active ones for coordinators."""
    query = select(NationalListEntry)
    if user.role == Role.national_admin:
        return query
    if user.role == Role.coordinator:
        return query.where(NationalListEntry.active.is_(True))
    return query.where(false())
