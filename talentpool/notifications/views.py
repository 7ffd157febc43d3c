"""In-app notifications: the list, opening one (marks it read), marking all read, and the
demo outbox (mail kept locally while no MAIL_SERVER is set)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Notification, OutboxMessage
from talentpool.permissions import ensure_found
from talentpool.services import notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread_notifications():
    """The unread count the header shows on every page (0 when logged out)."""
    if not current_user or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(current_user)}


@bp.app_template_filter("notification_text")
def notification_text(notification: Notification) -> str:
    return notifications.text_of(notification)


def outbox_visible() -> bool:
    """The local outbox is shown only while mail is not really sent, outside production."""
    return (
        not current_app.config.get("MAIL_SERVER")
        and current_app.config.get("ENV_NAME") != "production"
    )


@bp.route("/")
@login_required
def index():
    query = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )
    page = db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("notifications/index.html", page=page, show_outbox=outbox_visible())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    """Mark the notice read and go where it points."""
    notification = ensure_found(
        db.session.scalar(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == current_user.id
            )
        )
    )
    notifications.mark_read(current_user, notification.id)
    db.session.commit()
    link = notification.link
    if not link.startswith("/") or link.startswith("//"):
        link = url_for("notifications.index")
    return redirect(link)


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    count = notifications.mark_read(current_user)
    db.session.commit()
    flash(_("%(n)d件を既読にしました。", n=count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/outbox")
@login_required
def outbox():
    """Demo mode: the e-mails that would have been sent to me."""
    if not outbox_visible():
        abort(404)
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == current_user.email)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(100)
    ).all()
    return render_template("notifications/outbox.html", messages=messages)
