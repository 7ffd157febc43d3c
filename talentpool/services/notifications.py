"""Notifications: an in-app notice per recipient, plus an e-mail unless they chose otherwise.

A notice keeps its kind and parameters, not its text, so each reader sees it in their language;
its e-mail is written in the recipient's stored language (Japanese when none) to the outbox,
in the same transaction, and leaves after the commit (`talentpool send-mail`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from talentpool.extensions import db
from talentpool.mail import queue_mail
from talentpool.models import MailOptOut, Notification, Role, User, utcnow
from talentpool.models.offer import DECLINE_CODES

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
    "request_published": _l("%(municipality)sが支援依頼「%(title)s」を公開しました。"),
    "request_cancelled": _l("%(municipality)sの支援依頼「%(title)s」が取り消されました。"),
    "request_reopened": _l(
        "%(municipality)sの支援依頼「%(title)s」の募集が都道府県担当者により再開されました。"
    ),
}

#: What each kind is about, as the mail settings page lists it.
KIND_LABELS = {
    "offer_received": _l("打診が届いたとき"),
    "offer_withdrawn": _l("打診が取り下げられたとき"),
    "offer_lapsing": _l("打診の回答期限が近づいたとき"),
    "offer_lapsed": _l("打診が回答期限を過ぎて失効したとき"),
    "offer_accepted": _l("打診が受諾されたとき"),
    "offer_declined": _l("打診が辞退されたとき"),
    "assignment_started": _l("派遣が始まったとき(提案の受諾)"),
    "assignment_completed": _l("派遣が完了したとき"),
    "assignment_ended_early": _l("派遣が途中で終了したとき"),
    "activity_missing": _l("先月の活動記録が未入力のとき"),
    "request_published": _l("市町村が支援依頼を公開したとき"),
    "request_cancelled": _l("支援依頼が取り消されたとき"),
    "request_reopened": _l("支援依頼の募集が再開されたとき"),
}

#: The kinds each role receives (the mail settings page offers these).
KINDS_BY_ROLE = {
    Role.talent: (
        "offer_received",
        "offer_withdrawn",
        "offer_lapsing",
        "offer_lapsed",
        "assignment_started",
        "assignment_completed",
        "assignment_ended_early",
        "activity_missing",
    ),
    Role.coordinator: (
        "request_published",
        "request_cancelled",
        "offer_accepted",
        "offer_declined",
        "offer_lapsed",
        "assignment_started",
        "assignment_completed",
        "assignment_ended_early",
    ),
    Role.municipal_officer: (
        "request_reopened",
        "request_cancelled",
        "assignment_started",
        "assignment_completed",
        "assignment_ended_early",
    ),
    Role.national_admin: (),
}


def path_for(endpoint: str, **values: Any) -> str:
    """An app path for a notice's link; works without a request (CLI commands)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def text_of(notification: Notification) -> str:
    """The notice's text in the current language."""
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    params = dict(notification.params or {})
    if params.get("decline_code"):  # the reason's label in the reader's language
        label = DECLINE_CODES.get(params["decline_code"])
        if label is not None:
            text = params.get("decline_text") or ""
            params["reason"] = f"{label}: {text}" if text else str(label)
    try:
        return str(template) % params
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
    """Notify each distinct, enabled user in-app, and by e-mail unless they turned off
    mail for this kind.

    `link` is a path inside the app; `key` makes the notice once-only per user.
    """
    recipients: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_enabled:
            recipients.setdefault(user.id, user)
    if not recipients:
        return []
    opted_out = set(
        db.session.scalars(
            select(MailOptOut.user_id).where(
                MailOptOut.kind == kind, MailOptOut.user_id.in_(recipients)
            )
        )
    )
    created = []
    for user in recipients.values():
        if key and db.session.scalar(
            select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)
        ):
            continue
        notification = Notification(user_id=user.id, kind=kind, params=params, link=link, key=key)
        db.session.add(notification)
        created.append(notification)
        if user.id not in opted_out:
            _mail(user, notification)
    db.session.flush()
    return created


def mail_locale(user: User) -> str:
    """The language of a user's mail: their stored choice, else Japanese."""
    return user.locale if user.locale in current_app.config["LANGUAGES"] else "ja"


def _mail(user: User, notification: Notification) -> None:
    url = current_app.config["BASE_URL"].rstrip("/") + notification.link
    with force_locale(mail_locale(user)):
        text = text_of(notification)
        context = {
            "user": user,
            "text": text,
            "url": url,
            "kind": notification.kind,
            "params": notification.params,
            "locale": mail_locale(user),
        }
        subject = gettext("[デジタル人材プール] %(text)s", text=text)
        body_text = _render(f"mail/{notification.kind}.txt", "mail/notification.txt", context)
        body_html = _render(f"mail/{notification.kind}.html", "mail/notification.html", context)
    queue_mail(user.email, subject, body_text, body_html, prefecture_id=user.prefecture_id)


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


def _enabled_users(*where) -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_enabled.is_(True), *where)))


def officers_of(municipality_id: int) -> list[User]:
    """The enabled municipal officers of a municipality (they hear about its assignments)."""
    return _enabled_users(
        User.role == Role.municipal_officer, User.municipality_id == municipality_id
    )


def coordinators_of(prefecture_id: int) -> list[User]:
    """The enabled coordinators of a prefecture (they hear about its municipalities' requests)."""
    return _enabled_users(User.role == Role.coordinator, User.prefecture_id == prefecture_id)


def mail_choices(user: User) -> dict[str, bool]:
    """For each kind the user's role receives: whether it also comes by mail."""
    off = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))
    return {kind: kind not in off for kind in KINDS_BY_ROLE.get(user.role, ())}


def set_mail_choices(user: User, by_mail: Iterable[str]) -> None:
    """Keep mail on for the kinds in `by_mail` and off for the role's other kinds."""
    wanted = set(by_mail)
    kinds = KINDS_BY_ROLE.get(user.role, ())
    db.session.execute(
        delete(MailOptOut).where(MailOptOut.user_id == user.id, MailOptOut.kind.in_(kinds))
    )
    db.session.add_all(
        MailOptOut(user_id=user.id, kind=kind) for kind in kinds if kind not in wanted
    )
    db.session.flush()
