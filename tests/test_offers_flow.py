"""The offer flow end to end through the web, asserting what each of the three roles sees."""

import re
from datetime import date, timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Notification,
    Offer,
    OutboxMessage,
    SupportRequest,
    User,
)
from talentpool.services import DomainError
from talentpool.services.clock import today
from talentpool.services.offers import offer_queries as queries

PARTIAL = '{% with request_id = rid %}{% include "offers/_request_assignments.html" %}{% endwith %}'


def _partial_as(app, user, request_id) -> str:
    """The request page's partial, rendered as that user would see it (with the data the
    request page's view passes it)."""
    with app.test_request_context():
        viewer = db.session.get(User, user.id)
        login_user(viewer)
        return render_template_string(
            PARTIAL, rid=request_id, request_offers=queries.for_request(viewer, request_id)
        )


def _outbox(app, email):
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        ).all()


def test_coordinator_sends_talent_accepts_officer_sees_contact_after(
    app, client, factory, login, clock
):
    clock.set(date(2025, 6, 10))
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user(
        "03",
        name="岩手 一郎",
        email="ichiro@example.jp",
        phone="019-000-1111",
        skills=("standardization",),
        experience="住民記録システムの標準化移行を3団体で支援。",
    )
    req = factory.request(
        "032018",
        title="標準化の移行計画",
        hours_per_month=20,
        start_date=date(2025, 6, 1),
        end_date=date(2026, 3, 31),
    )

    # Coordinator: the form is prefilled from the request and the ranking's ?talent_id=.
    login(coordinator)
    form = client.get(f"/offers/new/{req.id}?talent_id={talent.id}")
    assert form.status_code == 200
    assert "標準化の移行計画" in form.text and "盛岡市" in form.text
    assert f'<option selected value="{talent.id}">' in form.text
    assert 'value="20"' in form.text and 'value="2025-06-01"' in form.text
    reply_by = today() + timedelta(days=5)
    sent = client.post(
        f"/offers/new/{req.id}",
        data={
            "talent_id": talent.id,
            "hours_per_month": "20",
            "start_date": "2025-06-01",
            "end_date": "2026-03-31",
            "reply_by": reply_by.isoformat(),
            "message": "標準化の経験を活かしていただけませんか。",
        },
    )
    assert sent.status_code == 302
    offer_url = sent.headers["Location"]
    assert re.fullmatch(r"/offers/\d+", offer_url)
    listing = client.get("/offers/")
    assert "岩手 一郎" in listing.text and "回答待ち" in listing.text
    client.post("/logout")

    # The talent got an e-mail (outbox: no MAIL_SERVER) with text and HTML bodies.
    (mail,) = _outbox(app, talent_user.email)
    assert "打診が届きました" in mail.subject
    assert offer_url in mail.body_text and reply_by.isoformat() in mail.body_text
    assert mail.body_html and "標準化の移行計画" in mail.body_html

    # Before acceptance the municipality sees skills and experience, never name or contact.
    before = _partial_as(app, officer, req.id)
    assert "住民記録システムの標準化移行" in before
    assert "岩手 一郎" not in before and "ichiro@example.jp" not in before
    login(officer)
    assert client.get(offer_url).status_code == 404
    assert "岩手 一郎" not in client.get("/offers/").text
    client.post("/logout")

    # Talent: the header shows one unread notice; the offer is readable and accepted.
    login(talent_user)
    home = client.get("/")
    assert 'data-unread="1"' in home.text
    page = client.get(offer_url)
    assert "標準化の経験を活かしていただけませんか。" in page.text and "受諾する" in page.text
    accepted = client.post(offer_url + "/accept")
    assert accepted.status_code == 302
    assignment_url = accepted.headers["Location"]
    detail = client.get(assignment_url)
    assert "派遣中" in detail.text and "活動を記録する" in detail.text
    client.post("/logout")

    with app.app_context():
        offer = db.session.scalar(select(Offer))
        assignment = db.session.scalar(select(Assignment))
        assert offer.state == "accepted" and offer.decided_by_id == talent_user.id
        assert assignment.state == "active" and assignment.hours_per_month == 20
        assert db.session.get(SupportRequest, req.id).state == "filled"
        kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (coordinator.id, "offer_accepted") in kinds
    assert {(u.id, "assignment_started") for u in (coordinator, officer, talent_user)} <= kinds
    assert any("派遣が始まりました" in m.subject for m in _outbox(app, officer.email))

    # Officer: now sees who is coming and how to reach them.
    after = _partial_as(app, officer, req.id)
    assert "岩手 一郎" in after and "ichiro@example.jp" in after
    login(officer)
    listing = client.get("/offers/")
    assert listing.status_code == 200 and "岩手 一郎" in listing.text
    page = client.get(assignment_url)
    assert "ichiro@example.jp" in page.text and "019-000-1111" in page.text
    assert "支援を評価する" not in page.text  # not before completion
    client.post("/logout")


def _accepted(app, factory, coordinator, talent_user, talent, client, login, **request_values):
    req = factory.request("032018", **request_values)
    offer = factory.offer(coordinator, req, talent)
    login(talent_user)
    response = client.post(f"/offers/{offer.id}/accept")
    assert response.status_code == 302, response.text
    client.post("/logout")
    with app.app_context():
        return db.session.scalar(select(Assignment).where(Assignment.offer_id == offer.id)), req


def test_activity_completion_rating_and_calendar(app, client, factory, login):
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user("03", name="活動 花子")
    this_month = today().replace(day=1)
    assignment, req = _accepted(
        app,
        factory,
        coordinator,
        talent_user,
        talent,
        client,
        login,
        title="窓口DX",
        wants_cio=False,
        start_date=this_month - timedelta(days=40),
        end_date=None,
    )
    url = f"/offers/assignments/{assignment.id}"
    last_month = (this_month - timedelta(days=1)).replace(day=1)

    # Talent logs last month, then corrects it (one entry per month); future months refused.
    login(talent_user)
    first = client.post(
        url + "/activity",
        data={"month": last_month.isoformat(), "hours": "12", "note": "移行計画の打合せ"},
    )
    assert first.status_code == 302
    again = client.post(
        url + "/activity",
        data={"month": last_month.isoformat(), "hours": "15", "note": "移行計画の打合せ(修正)"},
    )
    assert again.status_code == 302
    future = (this_month + timedelta(days=40)).replace(day=1)
    refused = client.post(url + "/activity", data={"month": future.isoformat(), "hours": "3"})
    assert refused.status_code == 400
    ics = client.get("/offers/calendar.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data().decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:assignment-{assignment.id}@" in body and "窓口DX" in body
    assert "\n" not in body.replace("\r\n", "")
    client.post("/logout")

    with app.app_context():
        entries = db.session.get(Assignment, assignment.id).activity
        assert [(e.month, e.hours) for e in entries] == [(last_month, 15)]

    # Officer sees the activity; rating is only possible after the end.
    login(officer)
    page = client.get(url)
    assert "移行計画の打合せ(修正)" in page.text
    early = client.post(url + "/rating", data={"score": "5", "comment": "早い"})
    assert early.status_code == 409
    assert "窓口DX" in client.get("/offers/calendar.ics").get_data().decode()
    client.post("/logout")

    # Coordinator sets the fee and completes; the talent can no longer log activity.
    login(coordinator)
    assert client.post(url + "/fee", data={"monthly_fee": "-1"}).status_code == 400
    assert client.post(url + "/fee", data={"monthly_fee": "150000"}).status_code == 302
    assert "150,000円" in client.get(url).text
    assert client.post(url + "/complete", data={"confirmed": "1"}).status_code == 302
    client.post("/logout")
    login(talent_user)
    locked = client.post(url + "/activity", data={"month": last_month.isoformat(), "hours": "1"})
    assert locked.status_code == 409
    client.post("/logout")

    # The officer rates once; a second rating is refused.
    login(officer)
    assert "支援を評価する" in client.get(url).text
    bad = client.post(url + "/rating", data={"score": "9", "comment": ""})
    assert bad.status_code == 400
    rated = client.post(
        url + "/rating", data={"score": "4", "comment": "丁寧な支援でした。"}, follow_redirects=True
    )
    assert rated.status_code == 200 and "丁寧な支援でした。" in rated.text
    assert "支援を評価する" not in rated.text
    twice = client.post(url + "/rating", data={"score": "1", "comment": "x"})
    assert twice.status_code in (400, 409)
    with app.app_context():
        done = db.session.get(Assignment, assignment.id)
        assert done.state == "completed" and done.monthly_fee == 150000
        assert done.rating.score == 4 and done.rating.rated_by_id == officer.id
        # A completed assignment still holds its seat: the request does not reopen.
        assert db.session.get(SupportRequest, req.id).state == "filled"


def test_cio_request_copies_flag_and_plan_sends_many_at_once(app, factory):
    from talentpool.services.offers.lifecycle import accept_offer, send_offers

    coordinator = factory.coordinator("03")
    cio_user, cio = factory.talent_user("03", cio_candidate=True)
    _, other = factory.talent_user("03")
    cio_request = factory.request("032018", wants_cio=True, hours_per_month=10)
    plain = factory.request("032051", hours_per_month=10)
    with app.test_request_context():
        user = db.session.get(User, coordinator.id)
        offers = send_offers(
            user, [(cio_request.id, cio.id, 10), (plain.id, other.id, 8)], "計画の一括送信", today()
        )
        assert [o.hours_per_month for o in offers] == [10, 8]
        assignment = accept_offer(db.session.get(User, cio_user.id), offers[0])
        assert assignment.cio_assistant is True and assignment.monthly_fee is None
        db.session.rollback()
        # All or nothing: one unfit item (non-CIO talent for a CIO request) sends none.
        with pytest.raises(DomainError) as refused:
            send_offers(
                user, [(plain.id, other.id, 8), (cio_request.id, other.id, 10)], "", today()
            )
        assert "CIO補佐官" in str(refused.value.message)
        db.session.rollback()
        assert db.session.scalar(select(Offer)) is None
