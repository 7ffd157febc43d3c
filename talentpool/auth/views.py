"""Logging in and out, and accepting an invitation."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
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

from talentpool.auth.forms import LoginForm, SetPasswordForm
from talentpool.extensions import db, limiter
from talentpool.models import utcnow
from talentpool.services import DomainError, accounts

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


def _fresh_session() -> None:
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
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is not None and user.locked_at is not None:
            flash(
                _(
                    "ログインの失敗が続いたため、このアカウントはロックされています。"
                    "担当者(都道府県担当者または管理者)に解除を依頼してください。"
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 403
        if user and user.is_active and accounts.verify_password(user, form.password.data):
            _fresh_session()
            user.last_login_at = utcnow()
            user.failed_login_count = 0
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        if user is not None:
            accounts.record_failed_login(user)
            db.session.commit()
        log.info("failed login for %s", form.email.data)
        flash(_("メールアドレスまたはパスワードが正しくありません。"), "error")
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.session_version += 1  # every copy of the old session cookie stops working
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("ログアウトしました。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = accounts.find_invitation(token)
    except DomainError as error:
        return render_template("auth/invitation_invalid.html", message=error.message), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            _fresh_session()
            login_user(user)
            flash(_("ようこそ。パスワードを設定しました。"), "success")
            return redirect(url_for("main.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation), status
