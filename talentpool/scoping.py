"""Tenant-scoped queries: every list starts here, so none can forget whose data it shows."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from talentpool.models import (
    Assignment,
    AuditEvent,
    DxLeader,
    Enrollment,
    Invitation,
    MatchPlan,
    Municipality,
    NationalListEntry,
    Notification,
    Offer,
    OutboxMessage,
    RecruitmentExpense,
    Role,
    SupportRequest,
    Talent,
    TrainingProgram,
    User,
)


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


def invitations_for(user: User) -> Select[tuple[Invitation]]:
    """Invitations a user manages: the national admin's are coordinators' and national
    admins'; a coordinator's, their prefecture's officers and talent."""
    query = select(Invitation)
    if user.role == Role.national_admin:
        return query.where(Invitation.role.in_((Role.coordinator, Role.national_admin)))
    if user.role == Role.coordinator:
        return query.where(
            Invitation.prefecture_id == user.prefecture_id,
            Invitation.role.in_((Role.municipal_officer, Role.talent)),
        )
    return query.where(false())


def requests_for(user: User) -> Select[tuple[SupportRequest]]:
    """Support requests a user may open: own prefecture's, or own municipality's."""
    query = select(SupportRequest)
    if user.role == Role.coordinator:
        return query.where(SupportRequest.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(SupportRequest.municipality_id == user.municipality_id)
    return query.where(false())


def training_programs_for(user: User) -> Select[tuple[TrainingProgram]]:
    """Programs a user may use: the nationally named ones and their own prefecture's."""
    query = select(TrainingProgram).order_by(
        TrainingProgram.prefecture_id.is_not(None),
        TrainingProgram.fiscal_year,
        TrainingProgram.name,
        TrainingProgram.id,
    )
    if user.role in (Role.coordinator, Role.municipal_officer, Role.talent):
        return query.where(
            or_(
                TrainingProgram.prefecture_id.is_(None),
                TrainingProgram.prefecture_id == user.prefecture_id,
            )
        )
    return query.where(false())


def dx_leaders_for(user: User) -> Select[tuple[DxLeader]]:
    """DX promotion leaders: own prefecture's municipalities', or own municipality's."""
    query = select(DxLeader).join(DxLeader.municipality)
    if user.role == Role.coordinator:
        return query.where(Municipality.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(DxLeader.municipality_id == user.municipality_id)
    return query.where(false())


def enrollments_for(user: User) -> Select[tuple[Enrollment]]:
    """Training records: of leaders and talent a user may see (a talent: their own)."""
    query = (
        select(Enrollment)
        .outerjoin(Enrollment.dx_leader)
        .outerjoin(DxLeader.municipality)
        .outerjoin(Enrollment.talent)
    )
    if user.role == Role.coordinator:
        return query.where(
            or_(
                Municipality.prefecture_id == user.prefecture_id,
                Talent.prefecture_id == user.prefecture_id,
            )
        )
    if user.role == Role.municipal_officer:
        return query.where(DxLeader.municipality_id == user.municipality_id)
    if user.role == Role.talent:
        return query.where(Talent.user_id == user.id)
    return query.where(false())


def national_entries_for(user: User) -> Select[tuple[NationalListEntry]]:
    """National-list entries: all for the national admin, active ones for coordinators."""
    query = select(NationalListEntry)
    if user.role == Role.national_admin:
        return query
    if user.role == Role.coordinator:
        return query.where(NationalListEntry.active.is_(True))
    return query.where(false())


def offers_for(user: User) -> Select[tuple[Offer]]:
    """Offers a user may open: own prefecture's, or those made to oneself."""
    query = select(Offer)
    if user.role == Role.coordinator:
        return query.where(Offer.prefecture_id == user.prefecture_id)
    if user.role == Role.talent:
        return query.join(Talent, Offer.talent_id == Talent.id).where(Talent.user_id == user.id)
    return query.where(false())


def offers_on_requests_for(user: User) -> Select[tuple[Offer]]:
    """Offers on the requests a user may open: an officer sees those of their municipality's
    requests (as candidates, without name or contact); a coordinator, the prefecture's."""
    query = select(Offer).join(SupportRequest, Offer.request_id == SupportRequest.id)
    if user.role == Role.coordinator:
        return query.where(SupportRequest.prefecture_id == user.prefecture_id)
    if user.role == Role.municipal_officer:
        return query.where(SupportRequest.municipality_id == user.municipality_id)
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
            Talent.user_id == user.id
        )
    return query.where(false())


def match_plans_for(user: User) -> Select[tuple[MatchPlan]]:
    """Match plans a user may open: the own prefecture's, for coordinators only."""
    query = select(MatchPlan)
    if user.role == Role.coordinator:
        return query.where(MatchPlan.prefecture_id == user.prefecture_id)
    return query.where(false())


def outbox_for(user: User) -> Select[tuple[OutboxMessage]]:
    """Outgoing mail whose delivery a user looks after: the prefecture's for its coordinators,
    the national administrators' own (mail to coordinators and administrators) for them."""
    query = select(OutboxMessage)
    if user.role == Role.coordinator:
        return query.where(OutboxMessage.prefecture_id == user.prefecture_id)
    if user.role == Role.national_admin:
        return query.where(OutboxMessage.prefecture_id.is_(None))
    return query.where(false())


def users_for(user: User) -> Select[tuple[User]]:
    """Accounts a user looks after: a coordinator, their prefecture's; a national admin,
    coordinators and national admins only (not every officer and talent: least privilege)."""
    query = select(User)
    if user.role == Role.coordinator:
        return query.where(User.prefecture_id == user.prefecture_id)
    if user.role == Role.national_admin:
        return query.where(User.role.in_((Role.coordinator, Role.national_admin)))
    return query.where(false())


def audit_events_for(user: User) -> Select[tuple[AuditEvent]]:
    """The part of the audit trail a user may read: the prefecture's for its coordinators,
    the national one (no prefecture) for national admins."""
    query = select(AuditEvent)
    if user.role == Role.coordinator:
        return query.where(AuditEvent.prefecture_id == user.prefecture_id)
    if user.role == Role.national_admin:
        return query.where(AuditEvent.prefecture_id.is_(None))
    return query.where(false())


def recruitment_expenses_for(user: User) -> Select[tuple[RecruitmentExpense]]:
    """Recruitment costs: the own prefecture's, for coordinators only."""
    query = select(RecruitmentExpense)
    if user.role == Role.coordinator:
        return query.where(RecruitmentExpense.prefecture_id == user.prefecture_id)
    return query.where(false())


def notifications_for(user: User) -> Select[tuple[Notification]]:
    """In-app notifications: one's own, whatever the role."""
    return select(Notification).where(Notification.user_id == user.id)
