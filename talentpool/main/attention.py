"""What needs a user's attention today, for the home page: counts with a link each.

COUNT queries through the scoped query helpers, so a home page can never show another
tenant's numbers; all of a page's counts go to the database as one statement.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Generic, TypeVar

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AssignmentState,
    Offer,
    OfferState,
    RequestState,
    SupportRequest,
    Talent,
    User,
)
from talentpool.services.accounts.invitations import TalentLogin, talent_login_clause
from talentpool.services.clock import today
from talentpool.services.offers.assignments import OVERDUE, RUNNING, in_phase

#: A tile's count: its COUNT query until ``_counted`` answers it with the number.
Count = TypeVar("Count", Select, int)


@dataclass(frozen=True)
class Item(Generic[Count]):
    """A home-page tile: what waits, how many, and where to act on it."""

    label: object
    count: Count
    url: str
    urgent: bool = False


def _counted(tiles: list[Item[Select]]) -> list[Item[int]]:
    """Every tile's COUNT in one statement: SELECT (SELECT count(*) …), (…), …"""
    if not tiles:
        return []
    row = db.session.execute(
        select(
            *(
                select(func.count())
                .select_from(t.count.order_by(None).subquery())
                .scalar_subquery()
                for t in tiles
            )
        )
    ).one()
    return [replace(t, count=int(n)) for t, n in zip(tiles, row, strict=True)]


def coordinator_items(user: User) -> list[Item[int]]:
    """Requests waiting for someone, answers pending, assignments running, pool gaps."""
    requests = scoping.requests_for(user)
    offered = exists().where(Offer.request_id == SupportRequest.id, Offer.state == OfferState.sent)
    recruiting = requests.where(
        SupportRequest.state.in_((RequestState.open, RequestState.partially_filled))
    )
    offers = scoping.offers_for(user).where(Offer.state == OfferState.sent)
    soon = today() + timedelta(days=2)
    return _counted(
        [
            Item(
                _l("打診していない募集中の依頼"),
                recruiting.where(~offered),
                url_for("requests.index", state="open", unfilled="y"),
                urgent=True,
            ),
            Item(
                _l("回答待ちの打診"),
                offers.where(Offer.reply_by >= today()),
                url_for("offers.index", state="sent"),
            ),
            Item(
                _l("2日以内に回答期限が来る打診"),
                offers.where(Offer.reply_by >= today(), Offer.reply_by <= soon),
                url_for("offers.index", state="sent"),
                urgent=True,
            ),
            Item(
                _l("下書きの依頼(市町村が作成中)"),
                requests.where(SupportRequest.state == RequestState.draft),
                url_for("requests.index", state="draft"),
            ),
            Item(
                _l("期間切れの依頼(延長するか終了を)"),
                requests.where(SupportRequest.state == RequestState.expired),
                url_for("requests.index", state="expired"),
                urgent=True,
            ),
            Item(
                _l("派遣中"),
                scoping.assignments_for(user).where(in_phase(RUNNING)),
                url_for("offers.index", view="assignments", state="active"),
            ),
            Item(
                _l("期間が終了した派遣(完了待ち)"),
                scoping.assignments_for(user).where(in_phase(OVERDUE)),
                url_for("offers.overdue"),
                urgent=True,
            ),
            *_login_items(user),
        ]
    )


def _login_items(user: User) -> list[Item[Select]]:
    """Active pool talent who cannot log in: never invited, invited, invitation run out."""
    pool = scoping.talent_for(user).where(Talent.active)
    tiles = (
        (_l("ログイン未招待の人材(有効)"), TalentLogin.none, False),
        (_l("招待中の人材"), TalentLogin.pending, False),
        (_l("招待の期限が切れた人材"), TalentLogin.expired, True),
    )
    return [
        Item(
            label,
            pool.where(talent_login_clause(state)),
            url_for("pool.index", login=state.value),
            urgent=urgent,
        )
        for label, state, urgent in tiles
    ]


def talent_items(user: User) -> list[Item[int]]:
    """Offers to answer, assignments running, last month's activity still to log."""
    first_of_month = today().replace(day=1)
    last_month = (first_of_month - timedelta(days=1)).replace(day=1)
    active = scoping.assignments_for(user).where(Assignment.state == AssignmentState.active)
    logged = exists().where(
        ActivityLog.assignment_id == Assignment.id, ActivityLog.month == last_month
    )
    # last month was in the period: started before this month, not ended before last month
    last_month_in_period = (
        Assignment.start_date.is_(None) | (Assignment.start_date < first_of_month)
    ) & (Assignment.end_date.is_(None) | (Assignment.end_date >= last_month))
    return _counted(
        [
            Item(
                _l("回答が必要な打診"),
                scoping.offers_for(user).where(
                    Offer.state == OfferState.sent, Offer.reply_by >= today()
                ),
                url_for("offers.index"),
                urgent=True,
            ),
            Item(_l("派遣中"), active.where(in_phase(RUNNING)), url_for("offers.index")),
            Item(
                _l("先月の活動記録が未入力の派遣"),
                active.where(last_month_in_period, ~logged),
                url_for("offers.index"),
                urgent=True,
            ),
        ]
    )
