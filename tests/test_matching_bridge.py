"""The bridge from rows to the matcher, and the offer service using the same rules."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Municipality,
    Offer,
    Prefecture,
    SupportRequest,
    Talent,
    User,
)
from talentpool.services import DomainError
from talentpool.services.clock import today
from talentpool.services.matching import bridge as matching
from talentpool.services.offers.assignments import complete_assignment
from talentpool.services.offers.lifecycle import accept_offer, send_offers


def _assign(app, factory, coordinator, request, talent_user, talent, hours=None):
    """An accepted offer: an active assignment of `talent` on `request`."""
    offer = factory.offer(coordinator, request, talent, hours)
    with app.test_request_context():
        assignment = accept_offer(
            db.session.get(User, talent_user.id), db.session.get(Offer, offer.id)
        )
        db.session.commit()
        return assignment.id


def _set_areas(app, talent, *codes):
    with app.app_context():
        row = db.session.get(Talent, talent.id)
        row.areas = list(
            db.session.scalars(select(Municipality).where(Municipality.lg_code.in_(codes)))
        )
        db.session.commit()


def _require_training(app, code="03", required=True):
    with app.app_context():
        db.session.scalar(
            select(Prefecture).where(Prefecture.code == code)
        ).require_admin_training = required
        db.session.commit()


def test_profiles_carry_what_the_rules_need(app, factory):
    coordinator = factory.coordinator("03")
    staff_user, staff = factory.talent_user(
        "03",
        kind="staff",
        available_hours_per_month=60,
        skills=("cloud", "security"),
        cio_candidate=True,
        work_style="remote",
        experience="ガバクラ移行",
        qualifications="PMP",
    )
    _u, trained = factory.talent_user("03", kind="staff")
    factory.enrollment(
        factory.program("行政実務研修"), talent=trained, completed_on=date(2025, 6, 1)
    )
    _set_areas(app, staff, "033014", "034843")
    _assign(
        app, factory, coordinator, factory.request("033014", hours_per_month=25), staff_user, staff
    )
    with app.app_context():
        rows = matching.load_pool(factory.prefecture("03").id)
        by_id = {p.id: p for p in matching.talent_profiles(rows)}
    mine, other = by_id[str(staff.id)], by_id[str(trained.id)]
    assert mine.available_hours == 35  # 60 minus the 25 the assignment reserves
    assert mine.area_municipality_codes == frozenset({"033014", "034843"})
    assert mine.skills == frozenset({"cloud", "security"})
    assert (mine.prefecture_code, mine.kind, mine.work_style) == ("03", "staff", "remote")
    assert mine.cio_candidate and mine.active and mine.experience == "ガバクラ移行"
    assert not mine.admin_training_done and other.admin_training_done
    assert other.area_municipality_codes is None  # no areas: the whole prefecture


def test_specs_count_remaining_seats_and_support(app, factory):
    coordinator = factory.coordinator("03")
    u1, t1 = factory.talent_user("03", available_hours_per_month=80, cio_candidate=True)
    u2, t2 = factory.talent_user("03", available_hours_per_month=80, cio_candidate=True)
    req = factory.request(
        "034843",
        headcount=3,
        hours_per_month=10,
        skills=("frontyard",),
        title="書かない窓口",
        onsite_required=True,
        wants_cio=True,
    )
    city = factory.request("032018", headcount=2)
    _assign(app, factory, coordinator, req, u1, t1)
    done = _assign(app, factory, coordinator, req, u2, t2)
    with app.test_request_context():  # a completed assignment keeps its seat
        complete_assignment(db.session.get(User, coordinator.id), db.session.get(Assignment, done))
        db.session.commit()
    with app.app_context():
        specs = {
            s.id: s
            for s in matching.request_specs(matching.load_requests(factory.prefecture("03").id))
        }
        policy = matching.policy_for(db.session.get(Prefecture, factory.prefecture("03").id))
    village, town = specs[str(req.id)], specs[str(city.id)]
    assert (village.headcount, village.seats_filled) == (1, 2)
    assert village.municipality_small and village.municipality_supported
    assert village.skills == frozenset({"frontyard"}) and village.municipality_code == "034843"
    assert village.onsite_required and village.wants_cio and village.prefecture_code == "03"
    assert (town.headcount, town.seats_filled) == (2, 0)
    assert not town.municipality_small and not town.municipality_supported
    assert policy.require_admin_training == frozenset()
    _require_training(app)
    with app.app_context():
        policy = matching.policy_for(db.session.get(Prefecture, factory.prefecture("03").id))
    assert policy.require_admin_training == frozenset({"03"})


def test_loading_takes_the_same_queries_for_three_or_thirty(app, factory):
    pref = factory.prefecture("03")

    def statements() -> int:
        count = 0

        def tick(*_args):
            nonlocal count
            count += 1

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", tick)
            try:
                matching.talent_profiles(matching.load_pool(pref.id))
                matching.request_specs(matching.load_requests(pref.id))
            finally:
                event.remove(db.engine, "before_cursor_execute", tick)
        return count

    for _ in range(3):
        _set_areas(app, factory.talent("03", skills=("cloud",)), "032018")
        factory.request("032018", skills=("security",))
    few = statements()
    for _ in range(27):
        _set_areas(app, factory.talent("03", skills=("cloud", "ai_rpa")), "033014")
        factory.request("033014", skills=("security", "bpr"))
    assert statements() == few <= 12


@pytest.fixture
def sending(app, factory):
    coordinator = factory.coordinator("03")

    def send(request, talent):
        with app.test_request_context():
            return send_offers(
                db.session.get(User, coordinator.id),
                [(request.id, talent.id, request.hours_per_month)],
                "",
                today() + timedelta(days=3),
            )

    return send


def test_offer_service_refuses_untrained_staff_where_required(app, factory, sending):
    _u, staff = factory.talent_user("03", kind="staff")
    req = factory.request("032018")
    _require_training(app)
    with pytest.raises(DomainError) as refused:
        sending(req, staff)
    assert "行政実務研修未修了" in str(refused.value.message)
    assert refused.value.field == "talent_id"
    with app.app_context():
        assert db.session.scalar(select(Offer)) is None
    # Once trained, the same offer goes out.
    factory.enrollment(factory.program("行政実務研修"), talent=staff, completed_on=date(2025, 6, 1))
    assert len(sending(req, staff)) == 1


def test_offer_service_refuses_talent_outside_their_area(app, factory, sending):
    _u, local = factory.talent_user("03")
    _set_areas(app, local, "033014")
    with pytest.raises(DomainError) as refused:
        sending(factory.request("032018"), local)
    assert "対応地域外" in str(refused.value.message)
    assert len(sending(factory.request("033014"), local)) == 1


def test_offer_page_names_every_failed_rule(app, client, factory, login):
    coordinator = factory.coordinator("03")
    _u, remote = factory.talent_user("03", work_style="remote", kind="staff")
    _set_areas(app, remote, "033014")
    _require_training(app)
    req = factory.request("032018", onsite_required=True, wants_cio=True)
    login(coordinator)
    page = client.post(
        f"/offers/new/{req.id}",
        data={
            "talent_id": remote.id,
            "hours_per_month": "20",
            "reply_by": (today() + timedelta(days=3)).isoformat(),
        },
    )
    assert page.status_code == 400
    for label in (
        "リモートのみ(現地対応の依頼)",
        "CIO補佐官候補でない",
        "対応地域外",
        "行政実務研修未修了",
    ):
        assert label in page.text
    with app.app_context():
        assert db.session.scalar(select(Offer)) is None
        assert db.session.get(SupportRequest, req.id).state == "open"
