"""Managing invitations: one invitation's page (its link again for the inviter, resend,
revoke), inviting a selection of the pool at once, and 「招待して打診」 for a planned pair."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from talentpool import scoping
from talentpool.accounts import bp
from talentpool.accounts.forms import BulkInviteForm, InviteOfferForm
from talentpool.accounts.views import (
    deliver,
    flash_delivered,
    ranking_to_return_to,
)
from talentpool.extensions import db
from talentpool.models import Invitation, MatchPlan, MatchPlanItem, Role
from talentpool.permissions import COORDINATOR, NATIONAL, ensure_found, require_role
from talentpool.services import DomainError
from talentpool.services.accounts import invitations
from talentpool.services.clock import today
from talentpool.services.matching import plan_invites
from talentpool.web.account_mail import invitation_link
from talentpool.web.actions import attach, run
from talentpool.web.scoped import scoped_or_404

DEFAULT_REPLY_DAYS = 7


def _invitation_or_404(invitation_id: int) -> Invitation:
    return scoped_or_404(scoping.invitations_for, Invitation, invitation_id)


def _refused(error: DomainError) -> None:
    """A service said no: nothing it did stays, and the user reads why."""
    db.session.rollback()
    flash(str(error.message), "error")


def _back(invitation: Invitation, then: Invitation | None = None) -> str:
    """Where a resend or revoke returns: the talent's profile when asked (`back=talent`),
    else the page of the invitation (`then`: the one that replaced it)."""
    if request.form.get("back") == "talent" and invitation.talent_id:
        return url_for("pool.detail", talent_id=invitation.talent_id)
    return url_for("accounts.invitation_detail", invitation_id=(then or invitation).id)


@bp.route("/invitations/<int:invitation_id>")
@require_role(*NATIONAL, *COORDINATOR)
def invitation_detail(invitation_id: int):
    """One invitation: its state and expiry; the link for its inviter; resend and revoke."""
    invitation = _invitation_or_404(invitation_id)
    link = invitation_link(invitations.link_token_for(current_user, invitation))
    return render_template(
        "accounts/invitation_detail.html",
        invitation=invitation,
        state=invitations.state_of(invitation),
        state_labels=invitations.INVITATION_STATE_LABELS,
        role_labels=Role.labels(),
        link=link,
        replaced_by=(
            db.session.get(Invitation, invitation.replaced_by_id)
            if invitation.replaced_by_id
            else None
        ),
    )


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@require_role(*NATIONAL, *COORDINATOR)
def resend_invitation(invitation_id: int):
    """A new link with a new expiry; the old link stops working."""
    invitation = _invitation_or_404(invitation_id)
    try:
        issued = invitations.resend(current_user, invitation)
    except DomainError as error:
        _refused(error)
        return redirect(_back(invitation))
    link = deliver(issued)
    db.session.commit()
    flash(_("新しい招待リンクを発行しました。以前のリンクは使えなくなりました。"), "success")
    flash_delivered(link, shown_on_page=True)
    return redirect(_back(invitation, issued.invitation))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@require_role(*NATIONAL, *COORDINATOR)
def revoke_invitation(invitation_id: int):
    """Confirm, then end the invitation: its link stops working."""
    invitation = _invitation_or_404(invitation_id)
    if request.method == "GET":
        return render_template(
            "accounts/revoke_invitation.html",
            invitation=invitation,
            state=invitations.state_of(invitation),
            back=request.args.get("back", ""),
        )
    if run(None, lambda: invitations.revoke(current_user, invitation)) is None:
        return redirect(_back(invitation))
    flash(_("%(name)sさんへの招待を取り消しました。", name=invitation.name), "success")
    return redirect(_back(invitation))


# --- many pool talent at once -------------------------------------------------------------------


@bp.route("/invite-talent", methods=["POST"])
@require_role(*COORDINATOR)
def invite_talent_bulk():
    """The pool list's selection: first a page saying who will be invited and who is
    skipped (and why), then, confirmed, the invitations."""
    form = BulkInviteForm()
    ranking = ranking_to_return_to()
    back = ranking or url_for("pool.index")
    if not form.validate_on_submit() or not form.talent_id.data:
        flash(_("招待する人材を選んでください。"), "error")
        return redirect(back, 303)
    if not form.confirm.data:
        try:
            plan = invitations.plan_bulk(current_user, form.talent_id.data)
        except DomainError as error:
            flash(str(error.message), "error")
            return redirect(back, 303)
        return render_template(
            "accounts/bulk_invite.html", plan=plan, back=back, request_id=form.request_id.data
        )
    try:
        done = invitations.invite_many(current_user, form.talent_id.data)
    except DomainError as error:
        _refused(error)
        return redirect(back, 303)
    for issued in done.issued:
        deliver(issued)
    db.session.commit()
    flash(_bulk_message(done), "success")
    if done.issued and not current_app.config.get("MAIL_SERVER"):
        flash(
            _(
                "メールサーバーが未設定のため、招待メールは送られていません。"
                "招待リンクは各人材のページで確認できます。"
            ),
            "info",
        )
    return redirect(ranking or url_for("pool.index", login="pending"), 303)


def _bulk_message(done: invitations.BulkInvitation) -> str:
    parts = [_("%(n)d人を招待しました。", n=len(done.issued))]
    if done.has_account:
        parts.append(_("既にアカウントがある%(n)d人は除きました。", n=len(done.has_account)))
    if done.pending:
        parts.append(_("招待中の%(n)d人は除きました。", n=len(done.pending)))
    if done.no_email:
        parts.append(_("メールアドレスのない%(n)d人は除きました。", n=len(done.no_email)))
    if done.refused:
        names = "、".join(t.name for t, _reason in done.refused)
        parts.append(_("招待できなかった人: %(names)s。", names=names))
    return "".join(parts)


# --- 「招待して打診」 from the plan ---------------------------------------------------------------


def _plan_or_404(plan_id: int) -> MatchPlan:
    return ensure_found(
        db.session.scalar(
            scoping.match_plans_for(current_user)
            .where(MatchPlan.id == plan_id)
            .options(
                selectinload(MatchPlan.items).selectinload(MatchPlanItem.request),
                selectinload(MatchPlan.items).selectinload(MatchPlanItem.talent),
            )
        )
    )


@bp.route("/invite-offer/<int:plan_id>/<int:item_id>", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def invite_and_offer(plan_id: int, item_id: int):
    """A planned pair whose talent cannot log in yet: confirm, then invite them (unless
    invited already) and send the offer, which waits for their first login."""
    plan = _plan_or_404(plan_id)
    try:
        item = plan_invites.pair_of(plan, item_id)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("matching.plan"))
    form = InviteOfferForm()
    pending = invitations.pending_for_talent(item.talent_id)
    if not form.is_submitted():
        form.reply_by.data = today() + timedelta(days=DEFAULT_REPLY_DAYS)
    elif form.validate():
        try:
            done = plan_invites.invite_and_offer(
                current_user, plan, item.id, form.message.data or "", form.reply_by.data
            )
        except DomainError as error:
            db.session.rollback()
            if not attach(form, error):
                return _render_invite_offer(
                    _plan_or_404(plan_id), item_id, form, pending, str(error.message)
                )
        else:
            return _after_invite_offer(done)
    status = 400 if form.is_submitted() else 200
    return _render_invite_offer(plan, item_id, form, pending, status=status)


def _render_invite_offer(plan, item_id, form, pending, error: str | None = None, status=400):
    item = next(i for i in plan.items if i.id == item_id)
    return render_template(
        "accounts/invite_offer.html",
        plan=plan,
        item=item,
        form=form,
        pending=pending,
        error=error,
    ), status


def _after_invite_offer(done: plan_invites.InvitedOffer):
    offer = done.offer
    if done.issued is not None:
        note = _(
            "%(municipality)sの支援依頼「%(title)s」への打診が届いています"
            "(回答期限 %(reply_by)s)。パスワードを設定すると、回答できます。",
            municipality=offer.request.municipality.name,
            title=offer.request.title,
            reply_by=offer.reply_by.isoformat(),
        )
        link = deliver(done.issued, note)
    db.session.commit()
    if done.issued is not None:
        flash(
            _(
                "%(name)sさんを招待し、打診を送りました。打診は本人がパスワードを設定すると"
                "回答できるようになります。",
                name=offer.talent.name,
            ),
            "success",
        )
        flash_delivered(link)
    else:
        flash(
            _(
                "%(name)sさんに打診を送りました(招待中のため、本人がパスワードを設定すると"
                "回答できます)。",
                name=offer.talent.name,
            ),
            "success",
        )
    return redirect(url_for("matching.plan"))
