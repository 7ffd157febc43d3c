"""Changing a password, and resetting a forgotten one by a single-use, expiring link.

A reset link is asked for by the user (the forgot-password page, which answers the same
whether or not the address has an account) or issued by whoever manages the account (a
coordinator for the prefecture's officers and talent, a national admin for coordinators).
Setting the new password uses the link up, forgets the address's failed logins and ends
every session of the user.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import PasswordReset, User, utcnow
from talentpool.services.accounts import login_throttle
from talentpool.services.accounts.users import check_login, set_password, token_hash
from talentpool.services.errors import DomainError


@dataclass(frozen=True)
class IssuedReset:
    reset: PasswordReset
    token: str


def issue(user: User, requested_by: User | None = None) -> IssuedReset:
    """A new reset link for the user; links issued before it stop working."""
    now = utcnow()
    _use_up_open_links(user, now)
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user=user,
        token_hash=token_hash(token),
        expires_at=now + timedelta(minutes=current_app.config["PASSWORD_RESET_TTL_MINUTES"]),
        requested_by_id=requested_by.id if requested_by else None,
        created_at=now,
    )
    db.session.add(reset)
    db.session.flush()
    return IssuedReset(reset, token)


def find(token: str) -> PasswordReset:
    """The open reset for a token, or a DomainError saying why the link cannot be used."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    if reset is None or not reset.user.is_enabled:
        raise DomainError(_l("パスワード再設定のリンクが正しくありません。"))
    if reset.used_at is not None:
        raise DomainError(
            _l("このリンクは既に使用されています。もう一度、再設定を申し込んでください。")
        )
    if reset.expires_at < utcnow():
        raise DomainError(
            _l("このリンクは有効期限が切れています。もう一度、再設定を申し込んでください。")
        )
    return reset


def complete(token: str, password: str) -> User:
    """Set the new password with a reset link; the link is used up.

    The link's row is updated only while still unused, so of two submits of one link the
    second finds it used (it waits for the first on PostgreSQL) and is refused.
    """
    reset = find(token)
    user = reset.user
    set_password(user, password)
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if not claimed:
        raise DomainError(_l("このリンクは既に使用されています。"))
    _use_up_open_links(user, now)
    login_throttle.clear(user.email)
    return user


def change(user: User, current_password: str, new_password: str) -> None:
    """The logged-in user's own change: the current password is asked again."""
    if not check_login(user, current_password):
        raise DomainError(_l("現在のパスワードが正しくありません。"), "current_password")
    if current_password == new_password:
        raise DomainError(_l("現在と同じパスワードは使えません。"), "password")
    set_password(user, new_password)
    _use_up_open_links(user, utcnow())


def _use_up_open_links(user: User, now) -> None:
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
