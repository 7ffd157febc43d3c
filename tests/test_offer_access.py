"""Who may open and change offers and assignments; contact details only after acceptance."""

import pytest

from talentpool.extensions import db
from talentpool.models import Talent, User
from talentpool.permissions import can_view_talent_contact


@pytest.fixture
def sent(factory):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    req = factory.request("032018", hours_per_month=10)
    offer = factory.offer(coordinator, req, talent)
    return coordinator, talent_user, talent, req, offer


def _accept(client, login, talent_user, offer) -> str:
    login(talent_user)
    url = client.post(f"/offers/{offer.id}/accept").headers["Location"]
    client.post("/logout")
    return url


def test_other_prefecture_coordinator_sees_nothing(client, factory, login, sent):
    _coordinator, talent_user, talent, req, offer = sent
    assignment_url = _accept(client, login, talent_user, offer)
    login(factory.coordinator("01"))
    assert client.get(f"/offers/{offer.id}").status_code == 404
    assert client.get(assignment_url).status_code == 404
    assert client.get(f"/offers/new/{req.id}").status_code == 404
    assert client.post(assignment_url + "/complete").status_code == 404
    assert talent.name not in client.get("/offers/?view=assignments").text
    assert "BEGIN:VEVENT" not in client.get("/offers/calendar.ics").get_data().decode()


def test_coordinator_cannot_offer_other_prefectures_talent(client, factory, login, sent):
    coordinator, _u, _t, req, _offer = sent
    _other_user, hokkaido = factory.talent_user("01")
    login(coordinator)
    assert client.get(f"/offers/new/{req.id}?talent_id={hokkaido.id}").status_code == 404
    response = client.post(
        f"/offers/new/{req.id}",
        data={"talent_id": hokkaido.id, "hours_per_month": "10", "reply_by": "2099-01-01"},
    )
    assert response.status_code == 400


def test_contact_rule_for_officers(app, client, factory, login, sent):
    _coordinator, talent_user, talent, _req, offer = sent
    here, elsewhere = factory.officer("032018"), factory.officer("032051")
    with app.app_context():
        row = db.session.get(Talent, talent.id)
        assert not can_view_talent_contact(db.session.get(User, here.id), row)
    _accept(client, login, talent_user, offer)
    with app.app_context():
        row = db.session.get(Talent, talent.id)
        assert can_view_talent_contact(db.session.get(User, here.id), row)
        assert not can_view_talent_contact(db.session.get(User, elsewhere.id), row)
