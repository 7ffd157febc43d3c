"""The audit trail, read-only: coordinators see their prefecture's, national admins the national."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from talentpool import sorting
from talentpool.extensions import db
from talentpool.models import AuditEvent, Role, User
from talentpool.permissions import COORDINATOR, NATIONAL, require_role

bp = Blueprint("audit", __name__, url_prefix="/audit")

JST = timedelta(hours=9)
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


def events_for(user: User):
    """The part of the trail a user may read."""
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if user.role == Role.coordinator:
        return query.where(AuditEvent.prefecture_id == user.prefecture_id)
    return query.where(AuditEvent.prefecture_id.is_(None))


@bp.route("/")
@require_role(*COORDINATOR, *NATIONAL)
def index():
    query = events_for(current_user)
    entity = request.args.get("entity", "")
    action = request.args.get("action", "")
    actor = request.args.get("actor", "").strip()
    since, until = _day(request.args.get("from")), _day(request.args.get("to"))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if action in ("create", "update", "delete", "anonymize", "data_export"):
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.join(User, User.id == AuditEvent.actor_id).where(
            User.email.contains(actor.lower(), autoescape=True)
            | User.name.contains(actor, autoescape=True)
        )
    if since:
        query = query.where(AuditEvent.created_at >= since)
    if until:
        query = query.where(AuditEvent.created_at < until + timedelta(days=1))
    sort = sorting.read(COLUMNS, "created")
    query = query.order_by(None).order_by(*sorting.order(COLUMNS, sort, AuditEvent.id))
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id}))
        )
    }
    entities = db.session.scalars(
        events_for(current_user)
        .with_only_columns(AuditEvent.entity)
        .distinct()
        .order_by(None)
        .order_by(AuditEvent.entity)
    ).all()
    return render_template(
        "audit/index.html", page=page, actors=actors, entities=entities, sort=sort
    )
