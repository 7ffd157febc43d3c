"""「招待して打診」: one step for a planned pair whose talent cannot log in yet — invite the
person (unless already invited) and send the pair's offer, which waits until they have set a
password. The offer goes through `lifecycle.send_offers` (its checks and row locks); the pair then
leaves the draft plan, so the plan's bulk send does not offer it twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from talentpool.models import MatchPlan, MatchPlanItem, Offer, PlanStatus, User
from talentpool.services.accounts import invitations
from talentpool.services.accounts.users import IssuedInvitation
from talentpool.services.errors import DomainError
from talentpool.services.matching import match_plans
from talentpool.services.offers import lifecycle


@dataclass(frozen=True)
class InvitedOffer:
    offer: Offer
    #: None when the talent already had an invitation in its validity.
    issued: IssuedInvitation | None


def pair_of(plan: MatchPlan, item_id: int) -> MatchPlanItem:
    """The draft plan's pair whose talent has no account yet, or DomainError saying why not."""
    if plan.status != PlanStatus.draft:
        raise DomainError(_l("この計画は送信済みか、新しい計画に置き換えられました。"))
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is None:
        raise DomainError(_l("計画にこの組み合わせが見つかりません。"))
    if item.talent.user_id is not None:
        raise DomainError(
            _l(
                "%(name)sさんは既にログインできます。計画の一括打診で送ってください。",
                name=item.talent.name,
            )
        )
    return item


def invite_and_offer(
    coordinator: User, plan: MatchPlan, item_id: int, message: str, reply_by: date
) -> InvitedOffer:
    """Invite the pair's talent if needed and send the pair's offer; all or nothing."""
    item = pair_of(plan, item_id)
    talent = item.talent
    issued = None
    if invitations.pending_for_talent(talent.id) is None:
        if not talent.email:
            raise DomainError(
                _l(
                    "%(name)sさんはメールアドレスが登録されていないため招待できません。",
                    name=talent.name,
                )
            )
        issued = invitations.invite_talent(coordinator, talent)
    (offer,) = lifecycle.send_offers(
        coordinator, [(item.request_id, item.talent_id, item.hours)], message, reply_by
    )
    match_plans.remove_item(coordinator, plan, item.id)
    return InvitedOffer(offer, issued)
