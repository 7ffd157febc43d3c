"""Invitations after they are issued: their state on the clock, resending and revoking, and
inviting many pool talent at once; whether a talent can log in, is invited, or neither.

"Expired" depends on the time: every read of it goes through `utcnow` (talentpool.models),
so tests and the demo can move the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, select

from talentpool.extensions import db
from talentpool.models import Invitation, Role, Talent, User, utcnow
from talentpool.models.account import open_invitation
from talentpool.models.base import LabelledEnum
from talentpool.services.accounts.invitation_links import token_of
from talentpool.services.accounts.users import IssuedInvitation, invite, normalize_email
from talentpool.services.errors import DomainError, NotAllowed


class InvitationState(LabelledEnum):
    pending = "pending", _l("招待中")
    expired = "expired", _l("期限切れ")
    used = "used", _l("利用済み")
    resent = "resent", _l("再送済み(古いリンク)")
    revoked = "revoked", _l("取り消し")


INVITATION_STATE_LABELS = InvitationState.labels()


class TalentLogin(LabelledEnum):
    """Whether a pool talent can log in, and if not, where their invitation stands."""

    account = "account", _l("ログイン可")
    pending = "pending", _l("招待中")
    expired = "expired", _l("招待期限切れ")
    none = "none", _l("未招待")


TALENT_LOGIN_LABELS = TalentLogin.labels()


def state_of(invitation: Invitation, now: datetime | None = None) -> InvitationState:
    if invitation.used_at is not None:
        return InvitationState.used
    if invitation.replaced_by_id is not None:
        return InvitationState.resent
    if invitation.revoked_at is not None:
        return InvitationState.revoked
    if invitation.expires_at < (now or utcnow()):
        return InvitationState.expired
    return InvitationState.pending


def state_clause(state: str, now: datetime | None = None) -> ColumnElement[bool]:
    """SQL condition on Invitation for a state of `InvitationState` or "open" (pending or
    expired, the ones someone may still act on)."""
    now = now or utcnow()
    if state == InvitationState.used:
        return Invitation.used_at.is_not(None)
    if state == InvitationState.resent:
        return Invitation.replaced_by_id.is_not(None)
    if state == InvitationState.revoked:
        return and_(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_not(None),
            Invitation.replaced_by_id.is_(None),
        )
    if state == InvitationState.pending:
        return and_(open_invitation(), Invitation.expires_at >= now)
    if state == InvitationState.expired:
        return and_(open_invitation(), Invitation.expires_at < now)
    if state == "open":
        return open_invitation()
    raise ValueError(state)


# --- talent -----------------------------------------------------------------------------------


#: Beyond this many talent without an account, their invitations are read by prefecture.
BY_PREFECTURE_ABOVE = 500


@dataclass(frozen=True)
class TalentLoginStatus:
    state: TalentLogin
    #: The open invitation (pending or expired), if any.
    invitation: Invitation | None = None


def talent_login(talent_rows: Iterable[Talent]) -> dict[int, TalentLoginStatus]:
    """Login status of each talent (one query for the lot)."""
    rows = list(talent_rows)
    waiting = {t.id for t in rows if t.user_id is None}
    # A page of a list asks by id; a whole pool (the offer form's list) by prefecture.
    if len(waiting) > BY_PREFECTURE_ABOVE:
        whose = Invitation.prefecture_id.in_({t.prefecture_id for t in rows})
    else:
        whose = Invitation.talent_id.in_(waiting)
    open_by_talent: dict[int, Invitation] = {}
    if waiting:
        for invitation in db.session.scalars(
            select(Invitation).where(whose, open_invitation()).order_by(Invitation.id)
        ):
            if invitation.talent_id in waiting:
                open_by_talent[invitation.talent_id] = invitation  # the newest wins
    now = utcnow()
    out = {}
    for t in rows:
        invitation = open_by_talent.get(t.id)
        if t.user_id is not None:
            out[t.id] = TalentLoginStatus(TalentLogin.account)
        elif invitation is None:
            out[t.id] = TalentLoginStatus(TalentLogin.none)
        elif invitation.expires_at < now:
            out[t.id] = TalentLoginStatus(TalentLogin.expired, invitation)
        else:
            out[t.id] = TalentLoginStatus(TalentLogin.pending, invitation)
    return out


def pending_for_talent(talent_id: int) -> Invitation | None:
    """The talent's invitation still in its validity, if any."""
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.talent_id == talent_id, state_clause(InvitationState.pending))
        .order_by(Invitation.id.desc())
        .limit(1)
    )


def talent_login_clause(state: str, now: datetime | None = None) -> ColumnElement[bool]:
    """SQL condition on Talent for a `TalentLogin` state (the pool list's filter)."""
    if state == TalentLogin.account:
        return Talent.user_id.is_not(None)

    def having(invitation_state: str):
        return exists().where(
            Invitation.talent_id == Talent.id, state_clause(invitation_state, now)
        )

    no_account = Talent.user_id.is_(None)
    if state == TalentLogin.pending:
        return and_(no_account, having(InvitationState.pending))
    if state == TalentLogin.expired:
        return and_(no_account, having(InvitationState.expired), ~having(InvitationState.pending))
    if state == TalentLogin.none:
        return and_(no_account, ~having("open"))
    raise ValueError(state)


def link_token_for(user: User, invitation: Invitation) -> str | None:
    """The token of the invitation's link, shown again only to the person who issued it and
    only while it can be used (None otherwise, or when it cannot be derived any more)."""
    if invitation.invited_by_id != user.id or state_of(invitation) != InvitationState.pending:
        return None
    return token_of(invitation)


# --- resend and revoke --------------------------------------------------------------------


def _ensure_may_manage(user: User, invitation: Invitation) -> None:
    from talentpool.permissions import can_manage_invitation

    if not can_manage_invitation(user, invitation):
        raise NotAllowed(_l("この招待を扱う権限がありません。"))


def _ensure_open(invitation: Invitation) -> None:
    state = state_of(invitation)
    if state == InvitationState.used:
        raise DomainError(_l("この招待は既に使われ、アカウントが作られています。"))
    if state in (InvitationState.resent, InvitationState.revoked):
        raise DomainError(_l("この招待は既に取り消されたか、新しいリンクに置き換えられています。"))


def resend(user: User, invitation: Invitation) -> IssuedInvitation:
    """A new link with a new validity period; the old link stops working at once."""
    _ensure_may_manage(user, invitation)
    _ensure_open(invitation)
    invitation.revoked_at = utcnow()
    invitation.revoked_by_id = user.id
    db.session.flush()
    issued = invite(
        inviter=user,
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        prefecture_id=invitation.prefecture_id,
        municipality_id=invitation.municipality_id,
        talent_id=invitation.talent_id,
    )
    invitation.replaced_by_id = issued.invitation.id
    db.session.flush()
    return issued


def revoke(user: User, invitation: Invitation) -> None:
    """End an unused invitation: its link stops working."""
    _ensure_may_manage(user, invitation)
    _ensure_open(invitation)
    invitation.revoked_at = utcnow()
    invitation.revoked_by_id = user.id
    db.session.flush()


# --- inviting many talent at once -------------------------------------------------------------


@dataclass
class BulkInvitation:
    """Who of a selection would be invited, and who is left out and why."""

    invite: list[Talent] = field(default_factory=list)
    has_account: list[Talent] = field(default_factory=list)
    pending: list[Talent] = field(default_factory=list)
    no_email: list[Talent] = field(default_factory=list)
    #: Refused when inviting (e.g. the address belongs to another account), with the reason.
    refused: list[tuple[Talent, str]] = field(default_factory=list)
    issued: list[IssuedInvitation] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.has_account) + len(self.pending) + len(self.no_email) + len(self.refused)


#: Most talent one bulk invitation takes (a page of the pool list is 25).
MAX_BULK = 200


def plan_bulk(coordinator: User, talent_ids: Iterable[int]) -> BulkInvitation:
    """Sort a selection of the coordinator's pool: to invite, or skipped with the reason."""
    if coordinator.role != Role.coordinator:
        raise NotAllowed(_l("人材を招待できるのは都道府県担当者だけです。"))
    ids = sorted(set(talent_ids))
    if not ids:
        raise DomainError(_l("招待する人材を選んでください。"), "talent_id")
    if len(ids) > MAX_BULK:
        raise DomainError(_l("一度に招待できるのは%(n)d人までです。", n=MAX_BULK), "talent_id")
    rows = list(
        db.session.scalars(
            select(Talent)
            .where(
                Talent.id.in_(ids),
                Talent.prefecture_id == coordinator.prefecture_id,
                Talent.anonymized_at.is_(None),
            )
            .order_by(Talent.name_kana, Talent.id)
        )
    )
    if len(rows) != len(ids):
        raise DomainError(_l("選んだ人材の一部が人材プールに見つかりません。"), "talent_id")
    plan = BulkInvitation()
    status = talent_login(rows)
    taken = set(
        db.session.scalars(
            select(User.email).where(User.email.in_({normalize_email(t.email or "") for t in rows}))
        )
    )
    for t in rows:
        state = status[t.id].state
        if state == TalentLogin.account:
            plan.has_account.append(t)
        elif state == TalentLogin.pending:
            plan.pending.append(t)
        elif not t.email:
            plan.no_email.append(t)
        elif normalize_email(t.email) in taken:
            plan.refused.append((t, str(_l("メールアドレスが別のアカウントで使われています。"))))
        else:
            plan.invite.append(t)
    return plan


def invite_talent(inviter: User, talent: Talent) -> IssuedInvitation:
    """Invite a pool profile's person, at the profile's address, to log in to that profile."""
    return invite(
        inviter=inviter, email=talent.email, name=talent.name, role=Role.talent, talent_id=talent.id
    )


def invite_many(coordinator: User, talent_ids: Iterable[int]) -> BulkInvitation:
    """Invite every talent of the selection who can be invited; the rest are counted.

    Someone invited by another coordinator meanwhile, or whose address belongs to another
    account, is skipped with the reason rather than failing the whole batch.
    """
    plan = plan_bulk(coordinator, talent_ids)
    for t in list(plan.invite):
        try:
            issued = invite_talent(coordinator, t)
        except DomainError as error:
            plan.invite.remove(t)
            plan.refused.append((t, str(error.message)))
        else:
            plan.issued.append(issued)
    return plan
