"""Two accepts at the same moment on PostgreSQL, with real commits on two real connections.

Only one of the two fits (the talent's hours, or the request's headcount). With the row-lock
guard exactly one succeeds and the other gets the capacity message; with the guard disabled
the same race overbooks — which is what the guard is for.

These tests cannot use the rolled-back `db` fixture: each thread needs its own connection and
its own commit. They build an app on a throwaway database of their own.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Municipality,
    Offer,
    Role,
    SupportRequest,
    Talent,
    User,
)
from talentpool.services.accounts.users import create_user
from talentpool.services.clock import today
from talentpool.services.offers import capacity
from talentpool.services.offers import lifecycle as offers
from tests.concurrency import run_together

pytestmark = pytest.mark.postgres

#: Widens the window between counting and inserting, so without locks both threads count
#: before either commits (the naive failure shows on the first attempt, not by luck).
RACE_WINDOW_SECONDS = 0.3


def _scenario(app, kind: str, label: str) -> tuple[list[int], int, int, int]:
    """Two sent offers of which only one fits; returns (offer ids, talent id, request id, cap)."""
    n = f"{label}-{kind}"
    with app.app_context():
        municipality = db.session.scalar(select(Municipality))
        coordinator = create_user(
            email=f"c-{n}@example.jp",
            name="担当",
            role=Role.coordinator,
            password=None,
            prefecture_id=municipality.prefecture_id,
        )

        def talent(i: int, hours: int) -> Talent:
            user = create_user(
                email=f"t-{n}-{i}@example.jp",
                name=f"人材{i}",
                role=Role.talent,
                password=None,
                prefecture_id=municipality.prefecture_id,
            )
            row = Talent(
                prefecture_id=municipality.prefecture_id,
                name=f"人材{i}",
                kind="external",
                available_hours_per_month=hours,
                user_id=user.id,
            )
            db.session.add(row)
            return row

        def request(headcount: int) -> SupportRequest:
            row = SupportRequest(
                prefecture_id=municipality.prefecture_id,
                municipality_id=municipality.id,
                title=f"依頼 {n}",
                hours_per_month=30,
                headcount=headcount,
                state="open",
            )
            db.session.add(row)
            return row

        if kind == "hours":  # one talent, 40 h free, two 30-hour requests
            person = talent(0, 40)
            pairs = [(request(1), person), (request(1), person)]
        else:  # one request of headcount 1, two talents with room
            req = request(1)
            pairs = [(req, talent(1, 100)), (req, talent(2, 100))]
        db.session.flush()
        sent = offers.send_offers(
            coordinator, [(r.id, t.id, 30) for r, t in pairs], "", today() + timedelta(days=3)
        )
        db.session.commit()
        return [o.id for o in sent], pairs[0][1].id, pairs[0][0].id, 40


def _accept_together(app, offer_ids: list[int], guard: bool) -> list[str]:
    """Accept the offers from threads at once; returns 'ok' or the error per thread."""

    def accept(offer_id: int):
        def job(barrier) -> None:
            offer = db.session.get(Offer, offer_id)
            user = db.session.get(User, offer.talent.user_id)
            # Both transactions are open (they have read) before either accepts.
            barrier.wait()
            offers.accept_offer(user, offer, guard=guard)

        return job

    return run_together(app, [accept(oid) for oid in offer_ids])


@pytest.fixture
def slow_count(monkeypatch):
    """Sleep after the capacity count, as a busy server might, to widen the race window."""
    original = capacity.check_accept

    def check_then_pause(*args, **kwargs):
        original(*args, **kwargs)
        time.sleep(RACE_WINDOW_SECONDS)

    monkeypatch.setattr(capacity, "check_accept", check_then_pause)


def _totals(app, talent_id: int, request_id: int) -> tuple[int, int]:
    with app.app_context():
        reserved = capacity.reserved_hours(talent_id)
        active = db.session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.request_id == request_id, Assignment.state == "active")
        )
        db.session.remove()
        return reserved, active


@pytest.mark.parametrize("kind", ["hours", "headcount"])
def test_guarded_accepts_let_exactly_one_through(pg_app, slow_count, kind):
    for attempt in range(3):
        offer_ids, talent_id, request_id, available = _scenario(pg_app, kind, f"guard{attempt}")
        results = _accept_together(pg_app, offer_ids, guard=True)
        assert sorted(r == "ok" for r in results) == [False, True], results
        (refusal,) = [r for r in results if r != "ok"]
        assert "受諾できません" in refusal
        reserved, active = _totals(pg_app, talent_id, request_id)
        if kind == "hours":
            assert reserved == 30 <= available
        else:
            assert active == 1


@pytest.mark.parametrize("kind", ["hours", "headcount"])
def test_naive_failure_without_the_guard_overbooks(pg_app, slow_count, kind):
    """Demonstrates the naive failure: without the row locks both accepts count the same
    'nothing reserved yet' and both commit. Asserts that overbooking CAN occur (tries a few
    times; with the widened window it happens on the first)."""
    overbooked = False
    for attempt in range(5):
        offer_ids, talent_id, request_id, available = _scenario(pg_app, kind, f"naive{attempt}")
        results = _accept_together(pg_app, offer_ids, guard=False)
        reserved, active = _totals(pg_app, talent_id, request_id)
        if results == ["ok", "ok"] and (reserved > available if kind == "hours" else active > 1):
            overbooked = True
            break
    assert overbooked, "the unguarded race never overbooked; the guarded test proves nothing"
