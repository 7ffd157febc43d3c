"""In-app notifications: the list, opening one (marks it read), marking all read, the choice
of which kinds also come by mail, the mail status for those who look after delivery, and the
demo outbox (mail kept locally while no MAIL_SERVER is set)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from talentpool import scoping
from talentpool.extensions import db
from talentpool.mail_delivery import reschedule
from talentpool.models import Notification, OutboxMessage
from talentpool.notifications import bp
from talentpool.notifications.forms import MailSettingsForm, MailStatusFilter
from talentpool.permissions import COORDINATOR, NATIONAL, ensure_found, require_role
from talentpool.services import notifications
from talentpool.services.search import with_keywords


@bp.app_context_processor
def unread_notifications():
    """The unread count the header shows on every page (0 when logged out)."""
    if not current_user or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(current_user)}


def outbox_visible() -> bool:
    """The local outbox is shown only while mail is not really sent, outside production."""
    return (
        not current_app.config.get("MAIL_SERVER")
        and current_app.config.get("ENV_NAME") != "production"
    )


@bp.route("/")
@login_required
def index():
    query = scoping.notifications_for(current_user).order_by(
        Notification.read_at.is_not(None),
        Notification.created_at.desc(),
        Notification.id.desc(),
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
            scoping.notifications_for(current_user).where(Notification.id == notification_id)
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


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Which kinds of notice also come by mail (in-app notices always stay on)."""
    choices = notifications.mail_choices(current_user)
    form = MailSettingsForm()
    form.by_mail.choices = [
        SelectChoice(kind, str(notifications.KIND_LABELS[kind])) for kind in choices
    ]
    if request.method == "GET":
        form.by_mail.data = [kind for kind, on in choices.items() if on]
    elif form.validate_on_submit():
        notifications.set_mail_choices(current_user, form.by_mail.data or [])
        db.session.commit()
        flash(_("メール通知の設定を保存しました。"), "success")
        return redirect(url_for("notifications.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form), status


def _mail_query(filters: MailStatusFilter):
    query = scoping.outbox_for(current_user)
    status = filters.status.data
    if status == "sent":
        query = query.where(OutboxMessage.sent_at.is_not(None))
    else:
        query = query.where(OutboxMessage.sent_at.is_(None))
        if status == "failed":
            query = query.where(OutboxMessage.failed_at.is_not(None))
        elif status == "waiting":
            query = query.where(OutboxMessage.failed_at.is_(None))
    query = with_keywords(
        query, filters.q.data or "", OutboxMessage.recipient, OutboxMessage.subject
    )
    return query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


@bp.route("/mail")
@require_role(*COORDINATOR, *NATIONAL)
def mail_status():
    """Mail that has not reached its recipient yet (or gave up), for those who look after it."""
    filters = MailStatusFilter(request.args)
    if not filters.validate():
        abort(400)
    page = db.paginate(
        _mail_query(filters),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "notifications/mail_status.html",
        page=page,
        filters=filters,
        mail_server=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
@require_role(*COORDINATOR, *NATIONAL)
def retry_mail(message_id: int):
    """Send an undelivered message again at the next `send-mail` pass."""
    message = ensure_found(
        db.session.scalar(scoping.outbox_for(current_user).where(OutboxMessage.id == message_id))
    )
    if message.sent_at is not None:
        flash(_("このメールは送信済みです。"), "info")
    else:
        reschedule(message)
        db.session.commit()
        flash(_("次の送信処理で再送します。"), "success")
    return redirect(url_for("notifications.mail_status")), 303
