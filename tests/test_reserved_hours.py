"""Lowering a talent's available hours below what active assignments reserve is refused —
on the coordinator's form, on the talent's own page, and in an import — with nothing changed."""

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Offer, Talent, User
from talentpool.services.offers.lifecycle import accept_offer


def _booked(app, factory, hours_reserved=30):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user(
        "03", available_hours_per_month=40, external_id="HOURS-1", name="時間 予約"
    )
    item = factory.request("032018", hours_per_month=hours_reserved)
    offer = factory.offer(coordinator, item, talent)
    with app.app_context():
        accept_offer(db.session.get(User, talent_user.id), db.session.get(Offer, offer.id))
        db.session.commit()
    return coordinator, talent_user, talent


def _hours(app, talent_id):
    with app.app_context():
        return db.session.scalar(
            select(Talent.available_hours_per_month).where(Talent.id == talent_id)
        )


def test_talent_cannot_go_below_reserved_hours(app, client, factory, login):
    _coordinator, talent_user, talent = _booked(app, factory)
    login(talent_user)
    response = client.post(
        "/pool/me", data={"available_hours_per_month": 20, "work_style": "hybrid"}
    )
    assert response.status_code == 400
    assert "月30時間が予約されています" in response.text
    assert _hours(app, talent.id) == 40
    ok = client.post("/pool/me", data={"available_hours_per_month": 30, "work_style": "hybrid"})
    assert ok.status_code == 302 and _hours(app, talent.id) == 30


def test_import_reports_the_row_and_writes_nothing(app, factory):
    from talentpool.services.pool.talent_import import plan_pool_import

    _booked(app, factory)
    csv = (
        "external_id,name,kind,prefecture_code,available_hours_per_month\n"
        "HOURS-1,時間 予約,external,03,10\n"
    ).encode()
    with app.app_context():
        plan = plan_pool_import(csv, "pool.csv", prefecture_code="03")
        assert [e.row for e in plan.errors] == [2]
        assert "月30時間が予約されている" in plan.errors[0].message
        assert plan.rows == []
