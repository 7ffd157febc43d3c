"""Notifications: an in-app notice plus an e-mail (outbox without MAIL_SERVER) per recipient.

A notice keeps its kind and parameters, not its text, so each reader sees it in their language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from talentpool.extensions import db
from talentpool.mail import send_mail
from talentpool.models import Notification, Role, User, utcnow

log = logging.getLogger(__name__)

#: Text of each kind of notice; the parameters come from the notice's `params`.
MESSAGES = {
    "offer_received": _l(
        "%(municipality)sの支援依頼「%(title)s」への打診が届きました(回答期限 %(reply_by)s)。"
    ),
    "offer_accepted": _l("%(talent)sさんが「%(title)s」の打診を受諾しました。"),
    "offer_declined": _l("%(talent)sさんが「%(title)s」の打診を辞退しました。理由: %(reason)s"),
    "offer_withdrawn": _l("「%(title)s」の打診は取り下げられました。"),
    "offer_lapsed": _l("「%(title)s」の打診(%(talent)sさん)は回答期限を過ぎたため失効しました。"),
    "offer_lapsing": _l("「%(title)s」の打診の回答期限(%(reply_by)s)が近づいています。"),
    "assignment_started": _l(
        "%(municipality)s「%(title)s」の派遣が始まりました(%(talent)sさん、月%(hours)s時間)。"
    ),
    "assignment_completed": _l(
        "%(municipality)s「%(title)s」の派遣(%(talent)sさん)が完了しました。"
    ),
    "assignment_ended_early": _l(
        "%(municipality)s「%(title)s」の派遣(%(talent)sさん)が途中で終了しました。理由: %(reason)s"
    ),
    "assignment_confirmed": _l(
        "%(municipality)s「%(title)s」の派遣が決まりました(%(talent)sさん、月%(hours)s時間、"
        "%(start)sから)。"
    ),
    "assignment_overdue": _l(
        "%(municipality)s「%(title)s」の派遣(%(talent)sさん)は終了日(%(end_date)s)を"
        "過ぎています。完了にしてください。"
    ),
    "request_expired": _l(
        "支援依頼「%(title)s」は終了日(%(end_date)s)を過ぎたため募集を止めました。"
        "期間を延長するか、依頼を終了してください。"
    ),
    "activity_missing": _l("「%(title)s」の%(month)sの活動記録がまだ入力されていません。"),
}


def path_for(endpoint: str, **values: Any) -> str:
    """An app path for a notice's link; works without a request (CLI commands)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def text_of(notification: Notification) -> str:
    """The notice's text in the current language."""
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    try:
        return str(template) % notification.params
    except (KeyError, TypeError, ValueError):
        log.warning("notification %s has params that do not fit its text", notification.id)
        return str(template)


def notify(
    users: Iterable[User | None],
    kind: str,
    params: dict[str, Any],
    link: str,
    key: str | None = None,
) -> list[Notification]:
    """Notify each distinct, enabled user in-app and by e-mail.

    `link` is a path inside the app; `key` makes the notice once-only per user.
    """
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not user.is_enabled:
            continue
        seen.add(user.id)
        if key and db.session.scalar(
            select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)
        ):
            continue
        notification = Notification(user_id=user.id, kind=kind, params=params, link=link, key=key)
        db.session.add(notification)
        created.append(notification)
        _mail(user, notification)
    db.session.flush()
    return created


def _mail(user: User, notification: Notification) -> None:
    url = current_app.config["BASE_URL"].rstrip("/") + notification.link
    with force_locale(user.locale or "ja"):
        context = {
            "user": user,
            "text": text_of(notification),
            "url": url,
            "kind": notification.kind,
            "params": notification.params,
        }
        subject = "[talentpool] " + text_of(notification)
        if len(subject) > 200:
            subject = subject[:199] + "…"
        body_text = _render(f"mail/{notification.kind}.txt", "mail/notification.txt", context)
        body_html = _render(f"mail/{notification.kind}.html", "mail/notification.html", context)
    send_mail(user.email, subject, body_text, body_html)


def _render(name: str, fallback: str, context: dict[str, Any]) -> str:
    # Straight from the Jinja environment: mails are also rendered by CLI commands, where
    # the page context processors (current user, menu) have no request to read.
    return current_app.jinja_env.get_or_select_template([name, fallback]).render(**context)


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notice of the user read; returns how many."""
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    return db.session.execute(statement.values(read_at=utcnow())).rowcount


def officers_of(municipality_id: int) -> list[User]:
    """The enabled municipal officers of a municipality (they hear about its assignments)."""
    return list(
        db.session.scalars(
            select(User).where(
                User.role == Role.municipal_officer,
                User.municipality_id == municipality_id,
                User.is_enabled.is_(True),
            )
        )
    )
