"""Changing one's password, and resetting a forgotten one by an e-mailed link."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from talentpool.auth import bp
from talentpool.auth.forms import ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm
from talentpool.auth.views import fresh_session
from talentpool.extensions import db, limiter
from talentpool.services import DomainError
from talentpool.services.accounts import password_reset, users
from talentpool.web.account_mail import mail_reset_link
from talentpool.web.actions import form_page, run

log = logging.getLogger(__name__)


def _address_key() -> str:
    return "password-reset:" + request.form.get("email", "").strip().lower()


def _user_key() -> str:
    return f"password-change:{current_user.get_id()}"


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_address_key,
)
def forgot_password():
    """Always the same answer: whether the address has an account is never shown, and the
    link only ever goes to the address itself (never onto this page)."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return form_page("auth/forgot_password.html", form=form, sent=False)
    user = users.find_user_by_email(form.email.data)
    if user is not None and user.is_enabled:
        mail_reset_link(password_reset.issue(user))
        db.session.commit()
    else:
        log.info("password reset asked for an address without an account")
    return render_template("auth/forgot_password.html", form=form, sent=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        reset = password_reset.find(token)
    except DomainError as error:
        return render_template("auth/reset_invalid.html", message=error.message), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if run(form, lambda: password_reset.complete(token, form.password.data), field="password"):
            fresh_session()
            flash(
                _("パスワードを再設定しました。新しいパスワードでログインしてください。"),
                "success",
            )
            return redirect(url_for("auth.login"))
    return form_page("auth/reset_password.html", form=form, reset=reset)


@bp.route("/password/change", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_user_key
)
def change_password():
    """The current password is asked again; every other session of the user ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        changed = run(
            form,
            lambda: password_reset.change(user, form.current_password.data, form.password.data),
            field="password",
        )
        if changed:
            fresh_session()
            login_user(user)  # this session goes on under the new session version
            flash(_("パスワードを変更しました。ほかの端末のログインは終了しました。"), "success")
            return redirect(url_for("main.home"))
    return form_page("auth/change_password.html", form=form)
