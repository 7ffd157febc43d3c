"""Mail about a user's own account: a password reset link, a notice of failed logins.

Links are built on BASE_URL, never on the request's Host header, which whoever submits the
forgot-password form controls. Each mail is in the recipient's language.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from talentpool.mail import queue_mail
from talentpool.models import User
from talentpool.services.accounts.password_reset import IssuedReset


def site_link(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def invitation_link(token: str | None) -> str | None:
    """The link that accepts an invitation, on BASE_URL (never the request's host)."""
    return site_link("auth.accept_invitation", token=token) if token else None


def mail_reset_link(issued: IssuedReset) -> str:
    """Mail the reset link to the account's address (or keep it in the outbox); returns it."""
    user = issued.reset.user
    link = site_link("auth.reset_password", token=issued.token)
    with force_locale(user.locale or "ja"):
        body = _(
            "%(name)s 様\n\nデジタル人材プールのパスワード再設定を受け付けました。\n"
            "次のリンクから新しいパスワードを設定してください"
            "(有効期限: %(minutes)d分、1回のみ有効)。\n\n%(link)s\n\n"
            "お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。\n",
            name=user.name,
            minutes=current_app.config["PASSWORD_RESET_TTL_MINUTES"],
            link=link,
        )
        subject = _("[デジタル人材プール] %(text)s", text=_("パスワード再設定のご案内"))
        queue_mail(user.email, subject, body, prefecture_id=user.prefecture_id)
    return link


def mail_login_notice(user: User, wait_seconds: int) -> None:
    """Tell the owner that failed logins now make their address wait."""
    with force_locale(user.locale or "ja"):
        body = _(
            "%(name)s 様\n\nデジタル人材プールで、あなたのメールアドレス"
            "(%(email)s)へのログインの失敗が続いたため、しばらくログインを受け付けない状態に"
            "しました(約%(minutes)d分。失敗が続くと待ち時間が延びます)。\n\n"
            "ご自身の操作でない場合、誰かがパスワードを推測しようとしている可能性があります。"
            "パスワードを忘れた場合や変更したい場合は、次のページから再設定できます"
            "(再設定するとすぐにログインできます)。\n\n%(link)s\n",
            name=user.name,
            email=user.email,
            minutes=max(1, wait_seconds // 60),
            link=site_link("auth.forgot_password"),
        )
        subject = _("[デジタル人材プール] %(text)s", text=_("ログインの失敗が続いています"))
        queue_mail(user.email, subject, body, prefecture_id=user.prefecture_id)
