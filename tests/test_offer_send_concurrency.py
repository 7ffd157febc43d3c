"""The send side of offers under real concurrency on PostgreSQL (threads, a barrier, two real
connections committing).

Offers reserve nothing: a talent may hold several unanswered offers whose hours add up past
what they have free, and a request of headcount 1 may be offered to several candidates — the
first to accept wins. What an offer needs is only that its checks (one unanswered offer per
request and talent; hours free *now*) see concurrent sends; `send_offers` locks the request and
talent rows for that, and a partial unique index makes a duplicate impossible even without the
lock. The capacity invariant — never past the talent's hours nor the request's headcount — is
held at accept, under its own locks (tests/test_offer_concurrency.py); these tests race sends
against each other and against accepts and check that invariant afterwards.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

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

RACE_WINDOW_SECONDS = 0.3
INDEX = "uq_offer_one_sent_per_request_talent"
_labels = iter(range(1, 1_000_000))


def _setup(app, talent_hours: list[int], headcounts: list[int]) -> dict:
    """Two coordinators of 岩手, talent with logins, open requests of 盛岡; returns ids."""
    n = next(_labels)
    with app.app_context():
        place = db.session.scalar(select(Municipality))
        coordinators = [
            create_user(
                email=f"send-c{n}-{i}@example.jp",
                name="担当",
                role=Role.coordinator,
                password=None,
                prefecture_id=place.prefecture_id,
            ).id
            for i in (1, 2)
        ]
        talent = []
        for i, hours in enumerate(talent_hours):
            user = create_user(
                email=f"send-t{n}-{i}@example.jp",
                name=f"人材{i}",
                role=Role.talent,
                password=None,
                prefecture_id=place.prefecture_id,
            )
            row = Talent(
                prefecture_id=place.prefecture_id,
                name=f"人材{i}",
                kind="external",
                available_hours_per_month=hours,
                user_id=user.id,
            )
            db.session.add(row)
            talent.append(row)
        requests = [
            SupportRequest(
                prefecture_id=place.prefecture_id,
                municipality_id=place.id,
                title=f"依頼 {n}-{i}",
                hours_per_month=30,
                headcount=count,
                state="open",
            )
            for i, count in enumerate(headcounts)
        ]
        db.session.add_all(requests)
        db.session.commit()
        return {
            "coordinators": coordinators,
            "talent": [t.id for t in talent],
            "requests": [r.id for r in requests],
        }


def _send(coordinator_id: int, request_id: int, talent_id: int, hours: int = 30):
    def job(barrier: threading.Barrier) -> None:
        coordinator = db.session.get(User, coordinator_id)
        barrier.wait()
        offers.send_offers(
            coordinator, [(request_id, talent_id, hours)], "", today() + timedelta(days=3)
        )

    return job


def _accept(offer_id: int):
    def job(barrier: threading.Barrier) -> None:
        offer = db.session.get(Offer, offer_id)
        user = db.session.get(User, offer.talent.user_id)
        barrier.wait()
        offers.accept_offer(user, offer)

    return job


@pytest.fixture
def slow_checks(monkeypatch):
    """Pause after a send's checks (as a busy server might), so without the lock both sends
    check before either inserts."""
    original = offers._check_fit

    def check_then_pause(*args, **kwargs):
        original(*args, **kwargs)
        time.sleep(RACE_WINDOW_SECONDS)

    monkeypatch.setattr(offers, "_check_fit", check_then_pause)


@pytest.fixture
def no_send_lock(monkeypatch):
    monkeypatch.setattr(capacity, "lock_for_sending", lambda *args, **kwargs: None)


@pytest.fixture
def no_unique_index(pg_app):
    with pg_app.app_context():
        db.session.execute(text(f"DROP INDEX {INDEX}"))
        db.session.commit()
    yield
    with pg_app.app_context():
        db.session.execute(text("DELETE FROM offer WHERE state = 'sent'"))
        db.session.execute(
            text(
                f"CREATE UNIQUE INDEX {INDEX} ON offer (request_id, talent_id) WHERE state = 'sent'"
            )
        )
        db.session.commit()
        db.session.remove()


def _sent(app, request_id: int, talent_id: int) -> int:
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Offer)
            .where(
                Offer.request_id == request_id, Offer.talent_id == talent_id, Offer.state == "sent"
            )
        )
        db.session.remove()
        return count


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


def _offer_ids(app, talent_id: int) -> list[int]:
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Offer.id)
                .where(Offer.talent_id == talent_id, Offer.state == "sent")
                .order_by(Offer.id)
            )
        )
        db.session.remove()
        return ids


# --- two coordinators, one request, one talent ------------------------------------------


def test_two_coordinators_sending_the_same_offer_make_one(pg_app, slow_checks):
    for _attempt in range(3):
        ids = _setup(pg_app, [100], [1])
        (rid,), (tid,) = ids["requests"], ids["talent"]
        results = run_together(pg_app, [_send(c, rid, tid) for c in ids["coordinators"]])
        assert sorted(r == "ok" for r in results) == [False, True], results
        assert "既にあります" in next(r for r in results if r != "ok")
        assert _sent(pg_app, rid, tid) == 1


def test_without_the_lock_the_database_still_refuses_the_duplicate(
    pg_app, slow_checks, no_send_lock
):
    ids = _setup(pg_app, [100], [1])
    (rid,), (tid,) = ids["requests"], ids["talent"]
    results = run_together(pg_app, [_send(c, rid, tid) for c in ids["coordinators"]])
    assert sorted(results) == ["integrity", "ok"], results
    assert _sent(pg_app, rid, tid) == 1


def test_naive_failure_without_lock_nor_index_duplicates_the_offer(
    pg_app, slow_checks, no_send_lock, no_unique_index
):
    """What the guards are for: with neither, both sends pass their checks and commit."""
    ids = _setup(pg_app, [100], [1])
    (rid,), (tid,) = ids["requests"], ids["talent"]
    results = run_together(pg_app, [_send(c, rid, tid) for c in ids["coordinators"]])
    assert results == ["ok", "ok"]
    assert _sent(pg_app, rid, tid) == 2


# --- sends never overbook: the invariant holds at accept --------------------------------


@pytest.mark.parametrize("send_lock", [True, False], ids=["with send lock", "without"])
def test_a_send_racing_an_accept_never_overbooks_the_talent(
    pg_app, slow_checks, monkeypatch, send_lock
):
    if not send_lock:  # the accept's own locks hold the invariant either way
        monkeypatch.setattr(capacity, "lock_for_sending", lambda *args, **kwargs: None)
    for _attempt in range(3):
        ids = _setup(pg_app, [40], [1, 1])  # 40 hours free; two 30-hour requests
        (tid,), (first, second) = ids["talent"], ids["requests"]
        with pg_app.test_request_context():
            (offer,) = offers.send_offers(
                db.session.get(User, ids["coordinators"][0]),
                [(first, tid, 30)],
                "",
                today() + timedelta(days=3),
            )
            db.session.commit()
            offer_id = offer.id
            db.session.remove()
        results = run_together(
            pg_app, [_accept(offer_id), _send(ids["coordinators"][1], second, tid)]
        )
        assert results[0] == "ok", results
        for pending in _offer_ids(pg_app, tid):  # a send that got in can still not be accepted
            (answer,) = run_together(pg_app, [_accept(pending)])
            assert "稼働可能時間を超えるため受諾できません" in answer
        if send_lock and results[1] != "ok":
            assert "空き時間は月10時間" in results[1]
        assert _totals(pg_app, tid, first)[0] == 30 <= 40


def test_offers_to_two_candidates_for_one_place_fill_it_once(pg_app, slow_checks):
    ids = _setup(pg_app, [100, 100], [1])  # headcount 1, two candidates
    (rid,), (t1, t2) = ids["requests"], ids["talent"]
    c1, c2 = ids["coordinators"]
    assert run_together(pg_app, [_send(c1, rid, t1), _send(c2, rid, t2)]) == ["ok", "ok"]
    offer_ids = _offer_ids(pg_app, t1) + _offer_ids(pg_app, t2)
    results = run_together(pg_app, [_accept(i) for i in offer_ids])
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "受諾できません" in next(r for r in results if r != "ok")  # full, or filled
    assert _totals(pg_app, t1, rid)[1] == 1
