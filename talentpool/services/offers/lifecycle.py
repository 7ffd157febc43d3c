"""Offers (打診): send, withdraw, decline, accept, lapse; each change notifies those concerned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    AssignmentState,
    Offer,
    OfferState,
    RequestState,
    Role,
    SupportRequest,
    Talent,
    User,
    utcnow,
)
from talentpool.models.offer import DECLINE_CODES
from talentpool.services.accounts import invitations
from talentpool.services.clock import today
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.matching import bridge, outcomes
from talentpool.services.notifications import notify
from talentpool.services.offers import assignments, capacity
from talentpool.services.offers.notices import offer_link, params_of
from talentpool.services.requests.support_requests import is_recruiting

#: Requests that can still take offers and accepts (while their period lasts: is_recruiting).
RECRUITING = (RequestState.open, RequestState.partially_filled)
#: How many days before the reply-by date the talent is reminded (`talentpool lapse-offers`).
LAPSING_SOON_DAYS = 2


def send_offers(
    coordinator: User,
    items: Sequence[tuple[int, int, int]],
    message: str,
    reply_by: date,
    start_date: date | None = None,
    end_date: date | None = None,
    source: str = "hand",
) -> list[Offer]:
    """Send one or many offers — (request_id, talent_id, hours per month) each — at once.

    All or nothing: the first item that cannot be sent raises DomainError naming it. The
    period defaults to the request's dates. Each offer keeps the matcher's view of its
    pair (outcomes.snapshot) and where it came from: "ranking", "plan" or "hand".
    """
    if coordinator.role != Role.coordinator:
        raise NotAllowed(_l("打診を送れるのは都道府県担当者だけです。"))
    if not items:
        raise DomainError(_l("送る打診がありません。"))
    if reply_by < today():
        raise DomainError(_l("回答期限は今日以降の日付にしてください。"), "reply_by")
    # Offers reserve nothing (an accept does, under its own locks), but the checks below —
    # one unanswered offer per request and talent, free hours — must see concurrent sends.
    capacity.lock_for_sending(
        coordinator.prefecture_id, [i[0] for i in items], [i[1] for i in items]
    )
    offers = []
    for request_id, talent_id, hours in items:
        offer = _new_offer(
            coordinator, request_id, talent_id, hours, message, reply_by, start_date, end_date
        )
        db.session.add(offer)
        db.session.flush()
        offers.append(offer)
    outcomes.snapshot(offers, source)
    for offer in offers:
        notify([offer.talent.user], "offer_received", params_of(offer), offer_link(offer))
    return offers


def _new_offer(
    coordinator: User,
    request_id: int,
    talent_id: int,
    hours: int,
    message: str,
    reply_by: date,
    start_date: date | None,
    end_date: date | None,
) -> Offer:
    req = db.session.scalar(
        select(SupportRequest).where(
            SupportRequest.id == request_id,
            SupportRequest.prefecture_id == coordinator.prefecture_id,
        )
    )
    if req is None:
        raise DomainError(_l("支援依頼が見つかりません。"), "request_id")
    talent = db.session.scalar(
        select(Talent).where(
            Talent.id == talent_id, Talent.prefecture_id == coordinator.prefecture_id
        )
    )
    if talent is None or not talent.active or talent.anonymized_at is not None:
        raise DomainError(_l("人材プールに有効な人材が見つかりません。"), "talent_id")
    _check_fit(req, talent, hours)
    start = start_date or req.start_date
    end = end_date or req.end_date
    if start and end and end < start:
        raise DomainError(_l("終了日は開始日以降にしてください。"), "end_date")
    return Offer(
        prefecture_id=req.prefecture_id,
        request_id=req.id,
        talent_id=talent.id,
        hours_per_month=hours,
        start_date=start,
        end_date=end,
        message=message.strip(),
        reply_by=reply_by,
        state=OfferState.sent,
        sent_by_id=coordinator.id,
        request=req,
        talent=talent,
    )


def _check_fit(req: SupportRequest, talent: Talent, hours: int) -> None:
    name = talent.name
    if not is_recruiting(req):
        raise DomainError(
            _l("支援依頼「%(title)s」は募集中ではないため打診できません。", title=req.title),
            "request_id",
        )
    if hours is None or hours <= 0:
        raise DomainError(_l("月あたりの時間は1以上にしてください。"), "hours_per_month")
    # An invited talent's offer waits for them: they answer it once their password is set.
    if talent.user_id is None and invitations.pending_for_talent(talent.id) is None:
        raise DomainError(
            _l(
                "%(name)sさんはログインできるアカウントがないため打診できません"
                "(招待中でもありません)。先に人材を招待してください。",
                name=name,
            ),
            "talent_id",
        )
    # One rule set with the matcher; hours get their own message below, with the figures.
    failed = [rule for rule in bridge.failed_rules(req, talent) if rule != "no_hours"]
    if failed:
        raise DomainError(
            _l(
                "%(name)sさんはこの依頼の対象外のため打診できません(%(rules)s)。",
                name=name,
                rules=bridge.rule_labels(failed),
            ),
            "talent_id",
        )
    free = capacity.free_hours(talent)
    if hours > free:
        raise DomainError(
            _l(
                "%(name)sさんの空き時間は月%(free)d時間のため、月%(hours)d時間の打診はできません。",
                name=name,
                free=free,
                hours=hours,
            ),
            "hours_per_month",
        )
    pending = db.session.scalar(
        select(Offer.id).where(
            Offer.request_id == req.id, Offer.talent_id == talent.id, Offer.state == OfferState.sent
        )
    )
    active = db.session.scalar(
        select(Assignment.id).where(
            Assignment.request_id == req.id,
            Assignment.talent_id == talent.id,
            Assignment.state == AssignmentState.active,
        )
    )
    if pending or active:
        raise DomainError(
            _l("%(name)sさんには、この依頼の打診または派遣が既にあります。", name=name), "talent_id"
        )


def _ensure_open(offer: Offer) -> None:
    if offer.state != OfferState.sent:
        raise DomainError(_l("この打診には既に回答済みか、取り下げ・失効済みです。"))


def _ensure_own(user: User, offer: Offer) -> None:
    if user.role != Role.talent or offer.talent.user_id != user.id:
        raise NotAllowed(_l("この打診に回答できるのは打診を受けた本人だけです。"))


def withdraw_offer(coordinator: User, offer: Offer) -> None:
    """The coordinator takes an unanswered offer back."""
    if coordinator.role != Role.coordinator or coordinator.prefecture_id != offer.prefecture_id:
        raise NotAllowed(_l("この打診を取り下げる権限がありません。"))
    _decide(offer, OfferState.withdrawn, coordinator)
    notify([offer.talent.user], "offer_withdrawn", params_of(offer), offer_link(offer))


def decline_offer(user: User, offer: Offer, reason: str, code: str = "other") -> None:
    """The talent declines, saying why: a code of DECLINE_CODES and a text (needed for
    "other", optional otherwise)."""
    _ensure_own(user, offer)
    if code not in DECLINE_CODES:
        raise DomainError(_l("辞退の理由を一覧から選んでください。"), "code")
    reason = reason.strip()
    if code == "other" and not reason:
        raise DomainError(_l("辞退の理由を入力してください。"), "reason")
    _decide(offer, OfferState.declined, user)
    offer.decline_code = code
    offer.decline_reason = reason
    said = f"{DECLINE_CODES[code]}: {reason}" if reason else str(DECLINE_CODES[code])
    params = {**params_of(offer), "reason": said, "decline_code": code, "decline_text": reason}
    notify([offer.sent_by], "offer_declined", params, offer_link(offer))


def _decide(offer: Offer, state: OfferState, user: User | None) -> None:
    # A conditional UPDATE, so two answers racing on one offer cannot both win.
    changed = db.session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.state == OfferState.sent)
        .values(state=state, decided_by_id=user.id if user else None, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(offer)
        _ensure_open(offer)
    db.session.refresh(offer)


def accept_offer(user: User, offer: Offer, *, guard: bool = True) -> Assignment:
    """The talent accepts: the offer becomes an active assignment, or DomainError if it no
    longer fits the talent's hours or the request's headcount.

    `guard=False` skips the row locks; it exists only to demonstrate the overbooking the
    locks prevent (tests/test_offer_concurrency.py).
    """
    _ensure_own(user, offer)
    if guard:
        capacity.lock_request_and_talent(offer.request_id, offer.talent_id)
        db.session.refresh(offer, with_for_update=True)
    _ensure_open(offer)
    if offer.reply_by < today():
        raise DomainError(
            _l(
                "回答期限(%(date)s)を過ぎているため受諾できません。",
                date=offer.reply_by.isoformat(),
            )
        )
    req = offer.request
    if not is_recruiting(req):
        raise DomainError(_l("この支援依頼は募集を終了しているため受諾できません。"))
    capacity.check_accept(req, offer.talent, offer.hours_per_month)
    _decide(offer, OfferState.accepted, user)
    assignment = assignments.start_assignment(offer)
    notify([offer.sent_by], "offer_accepted", params_of(offer), offer_link(offer))
    return assignment


def is_overdue(offer: Offer, on: date | None = None) -> bool:
    """Unanswered past its reply-by date: lapsed, whether or not `lapse_overdue` has run."""
    return offer.state == OfferState.sent and offer.reply_by < (on or today())


def state_shown(offer: Offer, on: date | None = None) -> str:
    """The offer's state as pages show it: an overdue unanswered offer shows as lapsed."""
    return OfferState.lapsed.value if is_overdue(offer, on) else offer.state


def lapse_overdue(on: date | None = None) -> int:
    """Lapse every unanswered offer whose reply-by date has passed; returns how many."""
    on = on or today()
    overdue = db.session.scalars(
        select(Offer).where(Offer.state == OfferState.sent, Offer.reply_by < on).order_by(Offer.id)
    ).all()
    count = 0
    for offer in overdue:
        changed = db.session.execute(
            update(Offer)
            .where(Offer.id == offer.id, Offer.state == OfferState.sent)
            .values(state=OfferState.lapsed, decided_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            continue  # someone answered or lapsed it meanwhile
        db.session.refresh(offer)
        count += 1
        notify(
            [offer.talent.user, offer.sent_by], "offer_lapsed", params_of(offer), offer_link(offer)
        )
    return count


def warn_lapsing(on: date | None = None) -> int:
    """Remind talent of unanswered offers due within LAPSING_SOON_DAYS (once per offer)."""
    on = on or today()
    due = db.session.scalars(
        select(Offer)
        .where(
            Offer.state == OfferState.sent,
            Offer.reply_by >= on,
            Offer.reply_by <= on + timedelta(days=LAPSING_SOON_DAYS),
        )
        .order_by(Offer.id)
    )
    sent = 0
    for offer in due:
        sent += len(
            notify(
                [offer.talent.user],
                "offer_lapsing",
                params_of(offer),
                offer_link(offer),
                key=f"offer_lapsing:{offer.id}",
            )
        )
    return sent
