"""Invitations and the accounts an inviter is responsible for."""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from talentpool import scoping, sorting
from talentpool.accounts import bp
from talentpool.accounts.forms import InvitationFilterForm, InvitationForm
from talentpool.audit import record_event
from talentpool.extensions import db
from talentpool.mail import queue_mail
from talentpool.models import Invitation, Prefecture, Role, SupportRequest, Talent, User
from talentpool.permissions import (
    COORDINATOR,
    NATIONAL,
    can_manage_user,
    ensure_found,
    require_role,
)
from talentpool.services import DomainError
from talentpool.services.accounts import invitations as invitation_service
from talentpool.services.accounts import login_throttle, password_reset
from talentpool.services.accounts import users as accounts
from talentpool.services.search import with_keywords
from talentpool.web.account_mail import invitation_link, mail_reset_link
from talentpool.web.lists import paginate

log = logging.getLogger(__name__)


def _role_choices() -> list[tuple[str, str]]:
    if current_user.role == Role.national_admin:
        allowed = (Role.coordinator, Role.national_admin)
    else:
        allowed = (Role.municipal_officer,)
    return [(role.value, role.label) for role in allowed]


#: The roles a national admin looks after: the accounts they see.
NATIONAL_CARE = (Role.coordinator, Role.national_admin)

INVITATION_COLUMNS = {
    "created": sorting.Column((Invitation.created_at,), descending_first=True),
    "name": sorting.Column((Invitation.name,)),
    "email": sorting.Column((Invitation.email,)),
    "role": sorting.Column((Invitation.role,)),
}
USER_COLUMNS = {
    "role": sorting.Column((User.role, User.email)),
    "name": sorting.Column((User.name,)),
    "email": sorting.Column((User.email,)),
    "last_login": sorting.Column((User.last_login_at,), descending_first=True),
}


def _visible_invitations(form: InvitationFilterForm):
    """The invitations the user manages, narrowed by the list's filters, newest first."""
    query = scoping.invitations_for(current_user).order_by(Invitation.created_at.desc())
    valid = not form.errors
    state = form.state.data if valid else "open"
    if state != "all":
        query = query.where(invitation_service.state_clause(state))
    if valid:
        query = with_keywords(query, form.q.data or "", Invitation.name, Invitation.email)
    return query.options(
        selectinload(Invitation.municipality),
        selectinload(Invitation.prefecture),
        selectinload(Invitation.invited_by),
    )


def deliver(issued: accounts.IssuedInvitation, note: str = "") -> str:
    """Put the invitation link in the outbox (sent after the commit) and return the link;
    `note` is a paragraph added to the mail (e.g. the offer waiting for the invitee). The
    invitee has no language of their own yet: the mail is Japanese."""
    link = invitation_link(issued.token)
    invitation = issued.invitation
    with force_locale("ja"):
        body = _(
            "%(name)s 様\n\nデジタル人材プールに招待されました。\n"
            "次のリンクからパスワードを設定してください(有効期限: %(hours)d時間、1回のみ有効)。\n\n"
            "%(link)s\n",
            name=invitation.name,
            hours=current_app.config["INVITATION_TTL_HOURS"],
            link=link,
        )
        subject = _("デジタル人材プールへの招待")
    if note:
        body += "\n" + note + "\n"
    # Coordinators and national admins are looked after nationally, everyone else by their
    # prefecture's coordinators (who then see it on the mail status page if it bounces).
    national = invitation.role in NATIONAL_CARE
    queue_mail(
        invitation.email,
        subject,
        body,
        prefecture_id=None if national else invitation.prefecture_id,
    )
    if not current_app.config.get("MAIL_SERVER"):
        log.info("invitation link for %s: %s", invitation.email, link)
    return link


def flash_delivered(link: str, shown_on_page: bool = False) -> None:
    """Say the invitation went out; without a mail server, where the link is to pass on."""
    if current_app.config.get("MAIL_SERVER"):
        flash(
            _("招待メールを送信します(届いたかは「メールの送信状況」で確認できます)。"), "success"
        )
    elif shown_on_page:
        flash(
            _(
                "メールサーバーが未設定のため、招待メールは送られていません。"
                "このページの招待リンクを本人に伝えてください。"
            ),
            "success",
        )
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
                flash_delivered(link, shown_on_page=True)
                return redirect(
                    url_for("accounts.invitation_detail", invitation_id=issued.invitation.id)
                )
    filters = InvitationFilterForm(request.args)
    if not filters.validate() and status == 200:
        status = 400
    sort = sorting.read(INVITATION_COLUMNS, "created")
    user_sort = sorting.read(USER_COLUMNS, "role", prefix="u")
    items = paginate(
        _visible_invitations(filters)
        .order_by(None)
        .order_by(*sorting.order(INVITATION_COLUMNS, sort, Invitation.id))
    )
    users_query = scoping.users_for(current_user)
    users = db.session.scalars(
        users_query.order_by(*sorting.order(USER_COLUMNS, user_sort, User.id)).limit(500)
    ).all()
    users_total = db.session.scalar(select(func.count()).select_from(users_query.subquery()))
    return render_template(
        "accounts/invitations.html",
        form=form,
        filters=filters,
        invitations=items,
        states={i.id: invitation_service.state_of(i) for i in items.items},
        state_labels=invitation_service.INVITATION_STATE_LABELS,
        users=users,
        role_labels=Role.labels(),
        manageable={u.id for u in users if can_manage_user(current_user, u)},
        locked=login_throttle.locked_until([u.email for u in users]),
        sort=sort,
        user_sort=user_sort,
        users_total=users_total,
    ), status


def _managed_user(user_id: int) -> User:
    user = ensure_found(db.session.get(User, user_id))
    if not can_manage_user(current_user, user):
        abort(404)
    return user


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@require_role(*NATIONAL, *COORDINATOR)
def unlock(user_id: int):
    """Let an address waiting after repeated failed logins try again at once."""
    user = _managed_user(user_id)
    login_throttle.clear(user.email)
    record_event(user, "update", {"login": ["locked", "unlocked"]})
    db.session.commit()
    flash(_("%(name)s さんのアカウントのロックを解除しました。", name=user.name), "success")
    return redirect(url_for("accounts.invitations"))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@require_role(*NATIONAL, *COORDINATOR)
def reset_password(user_id: int):
    """Issue a password reset link for someone the current user looks after."""
    user = _managed_user(user_id)
    if not user.is_enabled:
        flash(_("無効なアカウントのパスワードは再設定できません。"), "error")
        return redirect(url_for("accounts.invitations")), 303
    link = mail_reset_link(password_reset.issue(user, requested_by=current_user))
    db.session.commit()
    if current_app.config.get("MAIL_SERVER"):
        flash(
            _("%(name)s さんにパスワード再設定のリンクをメールで送りました。", name=user.name),
            "success",
        )
    else:
        log.info("password reset link for %s: %s", user.email, link)
        flash(
            _(
                "メールサーバーが未設定のため、次の再設定リンクを%(name)s さん本人に伝えてください"
                "(有効期限 %(minutes)d分、1回のみ有効): %(link)s",
                name=user.name,
                minutes=current_app.config["PASSWORD_RESET_TTL_MINUTES"],
                link=link,
            ),
            "success",
        )
    return redirect(url_for("accounts.invitations"))


@bp.route("/invite-talent/<int:talent_id>", methods=["POST"])
@require_role(*COORDINATOR)
def invite_talent(talent_id: int):
    """Invite a pool profile's person to log in and keep their own profile."""
    talent = ensure_found(
        db.session.scalar(scoping.talent_for(current_user).where(Talent.id == talent_id))
    )
    ranking = ranking_to_return_to()
    back = ranking or url_for("pool.detail", talent_id=talent.id)
    if not talent.email:
        flash(_("メールアドレスが登録されていないため招待できません。"), "error")
        return redirect(back)
    try:
        issued = invitation_service.invite_talent(current_user, talent)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    link = deliver(issued)
    db.session.commit()
    flash(_("%(name)sさんを招待しました。", name=talent.name), "success")
    flash_delivered(link, shown_on_page=ranking is None)  # the profile shows the link
    return redirect(back)


def ranking_to_return_to() -> str | None:
    """The ranking an invitation was sent from (form field `request_id`, one of the
    coordinator's requests), if any."""
    request_id = request.form.get("request_id", type=int)
    if not request_id or "matching.request_ranking" not in current_app.view_functions:
        return None
    found = db.session.scalar(
        scoping.requests_for(current_user)
        .where(SupportRequest.id == request_id)
        .with_only_columns(SupportRequest.id)
    )
    return url_for("matching.request_ranking", request_id=found) if found else None
