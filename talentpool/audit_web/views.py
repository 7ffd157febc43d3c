"""The audit trail, read-only: coordinators see their prefecture's, national admins the national;
and each record's own history tab (a talent, a request, an offer, an assignment, a DX leader)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from talentpool import scoping, sorting
from talentpool.audit_web import bp
from talentpool.audit_web.display import ACTIONS, entity_choices, present
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AuditEvent,
    DxLeader,
    Enrollment,
    Offer,
    Rating,
    Role,
    SupportRequest,
    Talent,
    User,
)
from talentpool.permissions import (
    COORDINATOR,
    NATIONAL,
    PREFECTURE_STAFF,
    require_role,
)
from talentpool.services.clock import JST
from talentpool.services.search import with_keywords
from talentpool.web.lists import paginate
from talentpool.web.scoped import scoped_or_404

COLUMNS = {
    "created": sorting.Column((AuditEvent.created_at,), descending_first=True),
    "action": sorting.Column((AuditEvent.action,)),
    "entity": sorting.Column((AuditEvent.entity, AuditEvent.entity_id)),
}


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d") - JST if value else None
    except ValueError:
        return None


def can_link(endpoint: str) -> bool:
    """Whether the current user may open the pages the trail links to."""
    if current_user.role == Role.coordinator:
        return True
    if current_user.role == Role.national_admin:
        return endpoint == "national.detail"
    return endpoint in ("requests.detail", "training.leader")  # officers' own records


@bp.route("/")
@require_role(*COORDINATOR, *NATIONAL)
def index():
    query = scoping.audit_events_for(current_user)
    entity = request.args.get("entity", "")
    action = request.args.get("action", "")
    actor = request.args.get("actor", "").strip()
    since, until = _day(request.args.get("from")), _day(request.args.get("to"))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if action in ("create", "update", "delete", "anonymize", "data_export"):
        query = query.where(AuditEvent.action == action)
    if actor:
        query = with_keywords(
            query.join(User, User.id == AuditEvent.actor_id), actor, User.email, User.name
        )
    if since:
        query = query.where(AuditEvent.created_at >= since)
    if until:
        query = query.where(AuditEvent.created_at < until + timedelta(days=1))
    sort = sorting.read(COLUMNS, "created")
    query = query.order_by(*sorting.order(COLUMNS, sort, AuditEvent.id))
    page = paginate(query)
    entities = db.session.scalars(
        scoping.audit_events_for(current_user)
        .with_only_columns(AuditEvent.entity)
        .distinct()
        .order_by(AuditEvent.entity)
    ).all()
    return render_template(
        "audit/index.html",
        page=page,
        rows=present(page.items, can_link=can_link),
        entities=entity_choices(entities),
        actions=ACTIONS,
        sort=sort,
    )


def _history(title: str, detail_url: str, records: list[tuple[str, list[int]]]):
    """A record's history tab: the events of the record and of its parts, newest first."""
    condition = None
    for entity, ids in records:
        if ids:
            clause = (AuditEvent.entity == entity) & AuditEvent.entity_id.in_(map(str, ids))
            condition = clause if condition is None else condition | clause
    query = (
        select(AuditEvent)
        .where(condition)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    page = paginate(query)
    return render_template(
        "audit/record.html",
        title=title,
        detail_url=detail_url,
        page=page,
        rows=present(page.items, can_link=can_link),
    )


def _ids(column, parent_column, parent_id: int) -> list[int]:
    return list(db.session.scalars(select(column).where(parent_column == parent_id)))


@bp.route("/talent/<int:talent_id>")
@require_role(*COORDINATOR)
def talent_history(talent_id: int):
    talent = scoped_or_404(scoping.talent_for, Talent, talent_id)
    return _history(
        talent.name, url_for("pool.detail", talent_id=talent.id), [("talent", [talent.id])]
    )


@bp.route("/requests/<int:request_id>")
@require_role(*PREFECTURE_STAFF)
def request_history(request_id: int):
    item = scoped_or_404(scoping.requests_for, SupportRequest, request_id)
    return _history(
        item.title,
        url_for("requests.detail", request_id=item.id),
        [("support_request", [item.id])],
    )


@bp.route("/offers/<int:offer_id>")
@require_role(*COORDINATOR)
def offer_history(offer_id: int):
    offer = scoped_or_404(scoping.offers_for, Offer, offer_id)
    return _history(
        f"{offer.request.title} / {offer.talent.name}",
        url_for("offers.detail", offer_id=offer.id),
        [("offer", [offer.id])],
    )


@bp.route("/assignments/<int:assignment_id>")
@require_role(*COORDINATOR)
def assignment_history(assignment_id: int):
    assignment = scoped_or_404(scoping.assignments_for, Assignment, assignment_id)
    return _history(
        f"{assignment.municipality.name} / {assignment.talent.name}",
        url_for("offers.assignment_detail", assignment_id=assignment.id),
        [
            ("assignment", [assignment.id]),
            ("activity_log", _ids(ActivityLog.id, ActivityLog.assignment_id, assignment.id)),
            ("rating", _ids(Rating.id, Rating.assignment_id, assignment.id)),
        ],
    )


@bp.route("/leaders/<int:leader_id>")
@require_role(*PREFECTURE_STAFF)
def leader_history(leader_id: int):
    leader = scoped_or_404(scoping.dx_leaders_for, DxLeader, leader_id)
    return _history(
        leader.name,
        url_for("training.leader", leader_id=leader.id),
        [
            ("dx_leader", [leader.id]),
            ("enrollment", _ids(Enrollment.id, Enrollment.dx_leader_id, leader.id)),
        ],
    )
