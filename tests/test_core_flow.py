"""The core flow across areas, through the web: request → offer → accept → assignment →
completion → rating, with what each role sees at each step."""

from datetime import timedelta

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Assignment, Offer, SupportRequest
from talentpool.services.clock import today


def test_request_to_rating(app, client, factory, login):
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user(
        "03",
        name="岩手 花子",
        email="hanako@example.jp",
        phone="000-1111-2222",
        available_hours_per_month=40,
    )
    item = factory.request(
        "032018", title="窓口DXの支援", headcount=1, hours_per_month=20, skills=("frontyard",)
    )

    # The coordinator sends an offer from the request page.
    login(coordinator)
    page = client.get(f"/requests/{item.id}").text
    assert "この依頼で打診する" in page
    response = client.post(
        f"/offers/new/{item.id}",
        data={
            "talent_id": talent.id,
            "hours_per_month": 20,
            "message": "お願いします",
            "reply_by": (today() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.post("/logout")

    # Before acceptance the officer sees the candidate's experience but not who it is.
    login(officer)
    page = client.get(f"/requests/{item.id}").text
    assert "打診中の候補者" in page
    assert "岩手 花子" not in page and "hanako@example.jp" not in page
    client.post("/logout")

    # The talent accepts.
    login(talent_user)
    with app.app_context():
        offer_id = db.session.scalar(select(Offer.id).where(Offer.request_id == item.id))
    assert "窓口DXの支援" in client.get(f"/offers/{offer_id}").text
    assert client.post(f"/offers/{offer_id}/accept").status_code == 302
    client.post("/logout")

    # Now the municipality sees who is coming and how to reach them; the request is filled.
    login(officer)
    page = client.get(f"/requests/{item.id}").text
    assert "岩手 花子" in page and "hanako@example.jp" in page
    with app.app_context():
        assert db.session.get(SupportRequest, item.id).state == "filled"
        assignment_id = db.session.scalar(
            select(Assignment.id).where(Assignment.request_id == item.id)
        )
    home = client.get("/").text
    assert "岩手 花子" in home and "評価を待っている支援はありません" in home
    client.post("/logout")

    # The coordinator completes it; the officer rates it from the home page's link.
    login(coordinator)
    assert (
        client.post(
            f"/offers/assignments/{assignment_id}/complete", data={"confirmed": "1"}
        ).status_code
        == 302
    )
    client.post("/logout")
    login(officer)
    home = client.get("/").text
    assert f"/offers/assignments/{assignment_id}#rating" in home
    response = client.post(
        f"/offers/assignments/{assignment_id}/rating",
        data={"score": 5, "comment": "丁寧な支援でした"},
    )
    assert response.status_code == 302
    page = client.get(f"/requests/{item.id}").text
    assert "評価 5 / 5" in page and "丁寧な支援でした" in page
    with app.app_context():
        # Completed support keeps its seat: the request does not reopen.
        assert db.session.get(SupportRequest, item.id).state == "filled"
