"""Logging in and out, and accepting an invitation."""

from __future__ import annotations

import logging
import math

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from talentpool.auth import bp
from talentpool.auth.forms import LoginForm, SetPasswordForm
from talentpool.extensions import db, limiter
from talentpool.models import utcnow
from talentpool.security import local_path
from talentpool.services import DomainError
from talentpool.services.accounts import invitations, login_throttle, users
from talentpool.web.account_mail import mail_login_notice
from talentpool.web.actions import commit_or_rollback, form_page

log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login; anything else goes home."""
    return local_path(target) or url_for("main.home")


def fresh_session() -> None:
    """A new session (no fixation at login, nothing left after logout), keeping only the
    language the visitor chose."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_account_key
)
def login():
    """The same answers, after the same work, whether or not an address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return form_page("auth/login.html", form=form)
    email = form.email.data
    wait = login_throttle.seconds_locked(email)
    if wait:
        flash(
            _(
                "ログインの失敗が続いたため、このメールアドレスでのログインを一時的に止めています。"
                "%(minutes)d分ほど後にもう一度お試しください。"
                "パスワードを忘れた場合は「パスワードを忘れた方」から再設定できます。",
                minutes=math.ceil(wait / 60),
            ),
            "error",
        )
        return render_template("auth/login.html", form=form), 429
    user = users.find_user_by_email(email)
    if users.check_login(user, form.password.data):
        login_throttle.clear(email)
        fresh_session()
        user.last_login_at = utcnow()
        db.session.commit()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    failure = login_throttle.record_failure(email)
    if failure.started_backoff and user is not None and user.is_enabled:
        mail_login_notice(user, failure.wait)
    db.session.commit()
    log.info("failed login for %s", email)
    flash(_("メールアドレスまたはパスワードが正しくありません。"), "error")
    return render_template("auth/login.html", form=form), 401


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.session_version += 1  # every copy of the old session cookie stops working
    db.session.commit()
    logout_user()
    fresh_session()
    flash(_("ログアウトしました。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = invitations.find_invitation(token)
    except DomainError as error:
        return render_template("auth/invitation_invalid.html", message=error.message), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = commit_or_rollback(
                lambda: invitations.accept_invitation(token, form.password.data)
            )
        except DomainError as error:
            form.password.errors.append(error.message)
        except IntegrityError:  # the same invitation accepted twice at once: the other won
            db.session.rollback()
            flash(
                _("この招待は既に受け付けました。設定したパスワードでログインしてください。"),
                "info",
            )
            return redirect(url_for("auth.login")), 303
        else:
            fresh_session()
            login_user(user)
            flash(_("ようこそ。パスワードを設定しました。"), "success")
            return redirect(url_for("main.home"))
    return form_page("auth/accept_invitation.html", form=form, invitation=invitation)
