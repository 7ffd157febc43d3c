"""Invitations and the accounts an inviter is responsible for."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from talentpool import scoping
from talentpool.accounts.forms import InvitationForm
from talentpool.extensions import db
from talentpool.mail import send_mail
from talentpool.models import Invitation, Prefecture, Role, Talent, User
from talentpool.permissions import (
    COORDINATOR,
    NATIONAL,
    can_manage_user,
    ensure_found,
    require_role,
)
from talentpool.services import DomainError, accounts

log = logging.getLogger(__name__)
bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _role_choices() -> list[tuple[str, str]]:
    if current_user.role == Role.national_admin:
        allowed = (Role.coordinator, Role.national_admin)
    else:
        allowed = (Role.municipal_officer,)
    return [(role.value, role.label) for role in allowed]


def _visible_invitations():
    query = select(Invitation).order_by(Invitation.created_at.desc())
    if current_user.role == Role.coordinator:
        query = query.where(Invitation.prefecture_id == current_user.prefecture_id)
    return query


def deliver(issued: accounts.IssuedInvitation) -> str:
    """Mail the invitation link (or keep it in the outbox) and return the link."""
    link = url_for("auth.accept_invitation", token=issued.token, _external=True)
    invitation = issued.invitation
    body = _(
        "%(name)s 様\n\ntalentpool(デジタル人材プール)に招待されました。\n"
        "次のリンクからパスワードを設定してください(有効期限: %(hours)d時間、1回のみ有効)。\n\n"
        "%(link)s\n",
        name=invitation.name,
        hours=current_app.config["INVITATION_TTL_HOURS"],
        link=link,
    )
    send_mail(invitation.email, _("talentpool への招待"), body)
    if not current_app.config.get("MAIL_SERVER"):
        log.info("invitation link for %s: %s", invitation.email, link)
    return link


def _flash_link(link: str) -> None:
    if current_app.config.get("MAIL_SERVER"):
        flash(_("招待メールを送信しました。"), "success")
    else:
        flash(
            _(
                "メールサーバーが未設定のため、次の招待リンクを本人に伝えてください: %(link)s",
                link=link,
            ),
            "success",
        )


def _fill_choices(form: InvitationForm) -> None:
    """Roles, prefectures and municipalities the current user may invite into."""
    form.role.choices = _role_choices()
    prefectures: list[tuple[int, str]] = []
    municipalities: list[tuple[int, str]] = []
    if current_user.role == Role.national_admin:
        query = select(Prefecture).order_by(Prefecture.code)
        prefectures = [(p.id, f"{p.code} {p.name}") for p in db.session.scalars(query)]
    else:
        query = scoping.municipalities_for(current_user)
        municipalities = [(m.id, f"{m.lg_code} {m.name}") for m in db.session.scalars(query)]
    form.prefecture_id.choices = [(0, "—"), *prefectures]
    form.municipality_id.choices = [(0, "—"), *municipalities]


def _field_for(form: InvitationForm, error: DomainError):
    """The form field a domain error is about (the e-mail field by default)."""
    name = error.field or ""
    return getattr(form, f"{name}_id", None) or getattr(form, name, None) or form.email


@bp.route("/invitations", methods=["GET", "POST"])
@require_role(*NATIONAL, *COORDINATOR)
def invitations():
    form = InvitationForm()
    _fill_choices(form)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                issued = accounts.invite(
                    inviter=current_user,
                    email=form.email.data,
                    name=form.name.data,
                    role=form.role.data,
                    prefecture_id=form.prefecture_id.data or None,
                    municipality_id=form.municipality_id.data or None,
                )
            except DomainError as error:
                db.session.rollback()
                _field_for(form, error).errors.append(error.message)
            else:
                link = deliver(issued)
                db.session.commit()
                _flash_link(link)
                return redirect(url_for("accounts.invitations"))
    items = db.session.scalars(_visible_invitations().limit(200)).all()
    users = db.session.scalars(_visible_users().limit(500)).all()
    unlockable = (
        (Role.coordinator, Role.national_admin)
        if current_user.role == Role.national_admin
        else (Role.municipal_officer, Role.talent)
    )
    return render_template(
        "accounts/invitations.html",
        form=form,
        invitations=items,
        users=users,
        role_labels=Role.labels(),
        unlockable_roles=unlockable,
    ), status


def _visible_users():
    query = select(User).order_by(User.role, User.email)
    if current_user.role == Role.coordinator:
        query = query.where(User.prefecture_id == current_user.prefecture_id)
    return query


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@require_role(*NATIONAL, *COORDINATOR)
def unlock(user_id: int):
    """Unlock an account locked after repeated failed logins."""
    user = ensure_found(db.session.get(User, user_id))
    if not can_manage_user(current_user, user):
        abort(404)
    accounts.unlock(user)
    db.session.commit()
    flash(_("%(name)s さんのアカウントのロックを解除しました。", name=user.name), "success")
    return redirect(url_for("accounts.invitations"))


@bp.route("/invite-talent/<int:talent_id>", methods=["POST"])
@require_role(*COORDINATOR)
def invite_talent(talent_id: int):
    """Invite a pool profile's person to log in and keep their own profile."""
    talent = ensure_found(
        db.session.scalar(scoping.talent_for(current_user).where(Talent.id == talent_id))
    )
    back = (
        url_for("pool.detail", talent_id=talent.id)
        if "pool.detail" in current_app.view_functions
        else url_for("main.home")
    )
    if not talent.email:
        flash(_("メールアドレスが登録されていないため招待できません。"), "error")
        return redirect(back)
    try:
        issued = accounts.invite(
            inviter=current_user,
            email=talent.email,
            name=talent.name,
            role=Role.talent,
            talent_id=talent.id,
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    link = deliver(issued)
    db.session.commit()
    _flash_link(link)
    return redirect(back)
