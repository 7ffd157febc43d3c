"""Declining, withdrawing, lapsing, ending early, completing: each leaves the talent's reserved
hours and the request's state right; accepts that do not fit are refused with a message."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import Assignment, Notification, Offer, SupportRequest, Talent, User
from talentpool.services import DomainError
from talentpool.services.clock import today
from talentpool.services.offers import capacity


def _state(app, model, row_id):
    with app.app_context():
        return db.session.get(model, row_id).state


def _reserved(app, talent):
    with app.app_context():
        return capacity.reserved_hours(talent.id)


def _kinds(app, user):
    with app.app_context():
        return [
            n.kind
            for n in db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        ]


@pytest.fixture
def people(factory):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03", available_hours_per_month=40)
    return coordinator, talent_user, talent


def test_decline_needs_a_reason_and_leaves_the_request_open(app, client, factory, login, people):
    coordinator, talent_user, talent = people
    req = factory.request("032018", hours_per_month=30)
    offer = factory.offer(coordinator, req, talent)
    login(talent_user)
    unchosen = client.post(f"/offers/{offer.id}/decline", data={"reason": "忙しい"})
    assert unchosen.status_code == 400 and "辞退の理由を一覧から選んでください" in unchosen.text
    empty = client.post(f"/offers/{offer.id}/decline", data={"code": "other", "reason": "  "})
    assert empty.status_code == 400 and "辞退の理由を入力してください" in empty.text
    assert _state(app, Offer, offer.id) == "sent"
    done = client.post(
        f"/offers/{offer.id}/decline",
        data={"code": "other", "reason": "本業が繁忙期のため", "confirmed": "1"},
    )
    assert done.status_code == 302
    late = client.post(f"/offers/{offer.id}/accept")
    assert late.status_code == 409 and "既に回答済み" in late.text
    client.post("/logout")

    assert _state(app, Offer, offer.id) == "declined"
    assert _state(app, SupportRequest, req.id) == "open" and _reserved(app, talent) == 0
    assert _kinds(app, coordinator) == ["offer_declined"]
    # The coordinator reads the reason and is one click from the next candidate.
    login(coordinator)
    page = client.get(f"/offers/{offer.id}")
    assert "本業が繁忙期のため" in page.text and "別の人材に打診する" in page.text
    assert f'href="/matching/requests/{req.id}"' in page.text  # the ranking of the request


def test_withdrawn_offer_cannot_be_accepted(app, client, factory, login, people):
    coordinator, talent_user, talent = people
    req = factory.request("032018", hours_per_month=30)
    offer = factory.offer(coordinator, req, talent)
    login(coordinator)
    assert client.post(f"/offers/{offer.id}/withdraw", data={"confirmed": "1"}).status_code == 302
    assert client.post(f"/offers/{offer.id}/withdraw", data={"confirmed": "1"}).status_code == 409
    client.post("/logout")
    login(talent_user)
    assert "取り下げ" in client.get(f"/offers/{offer.id}").text
    refused = client.post(f"/offers/{offer.id}/accept")
    assert refused.status_code == 409
    assert _state(app, Offer, offer.id) == "withdrawn"
    assert _state(app, SupportRequest, req.id) == "open" and _reserved(app, talent) == 0
    assert _kinds(app, talent_user) == ["offer_received", "offer_withdrawn"]


def _make_overdue(app, offer, days=1):
    with app.app_context():
        db.session.execute(
            update(Offer)
            .where(Offer.id == offer.id)
            .values(reply_by=today() - timedelta(days=days))
        )
        db.session.commit()


def test_lapse_offers_command_lapses_overdue_and_reminds_due_soon(app, runner, factory, people):
    coordinator, talent_user, talent = people
    overdue = factory.offer(coordinator, factory.request("032018", hours_per_month=10), talent)
    due_soon = factory.offer(
        coordinator,
        factory.request("032018", hours_per_month=10),
        talent,
        reply_by=today() + timedelta(days=2),
    )
    later = factory.offer(
        coordinator,
        factory.request("032018", hours_per_month=10),
        talent,
        reply_by=today() + timedelta(days=3),
    )
    _make_overdue(app, overdue)

    result = runner.invoke(args=["lapse-offers"])
    assert result.exit_code == 0, result.output
    assert "lapsed 1 offer(s); sent 1 reply-by reminder(s)" in result.output
    assert _state(app, Offer, overdue.id) == "lapsed"
    assert _state(app, Offer, due_soon.id) == "sent" and _state(app, Offer, later.id) == "sent"
    assert _state(app, SupportRequest, overdue.request_id) == "open"
    assert "offer_lapsed" in _kinds(app, coordinator)
    assert _kinds(app, talent_user).count("offer_lapsing") == 1
    # Run again (cron): nothing new, and the reminder is not repeated.
    again = runner.invoke(args=["lapse-offers"])
    assert "lapsed 0 offer(s); sent 0 reply-by reminder(s)" in again.output
    assert _kinds(app, talent_user).count("offer_lapsing") == 1


def test_overdue_offer_lapses_when_read_and_cannot_be_accepted(app, client, factory, login, people):
    coordinator, talent_user, talent = people
    offer = factory.offer(coordinator, factory.request("032018", hours_per_month=10), talent)
    _make_overdue(app, offer)
    login(talent_user)
    listing = client.get("/offers/")  # no cron ran: listing lapses it first
    assert "失効" in listing.text
    assert _state(app, Offer, offer.id) == "lapsed"
    assert client.post(f"/offers/{offer.id}/accept").status_code == 409
    assert _reserved(app, talent) == 0


def test_hours_that_do_not_fit_are_refused_with_the_figures(app, client, factory, login, people):
    coordinator, talent_user, talent = people  # 40 hours available
    first = factory.offer(coordinator, factory.request("032018", hours_per_month=30), talent)
    second_request = factory.request("032051", hours_per_month=30)
    second = factory.offer(coordinator, second_request, talent)  # sendable: nothing reserved yet
    login(talent_user)
    assert client.post(f"/offers/{first.id}/accept").status_code == 302
    refused = client.post(f"/offers/{second.id}/accept")
    assert refused.status_code == 409
    assert "稼働可能時間を超える" in refused.text and "30時間が確定済み" in refused.text
    assert _state(app, Offer, second.id) == "sent"
    assert _state(app, SupportRequest, second_request.id) == "open"
    assert _reserved(app, talent) == 30
    client.post("/logout")
    # New offers beyond the free hours are refused at sending time too.
    login(coordinator)
    third = factory.request("032051", hours_per_month=20)
    page = client.post(
        f"/offers/new/{third.id}",
        data={
            "talent_id": talent.id,
            "hours_per_month": "20",
            "reply_by": (today() + timedelta(days=3)).isoformat(),
        },
    )
    assert page.status_code == 400 and "空き時間は月10時間" in page.text


def test_headcount_is_never_exceeded(app, client, factory, login, people):
    coordinator, first_user, first = people
    second_user, second = factory.talent_user("03")
    req = factory.request("032018", hours_per_month=10, headcount=1)
    offer_a = factory.offer(coordinator, req, first)
    offer_b = factory.offer(coordinator, req, second)
    login(first_user)
    assert client.post(f"/offers/{offer_a.id}/accept").status_code == 302
    client.post("/logout")
    login(second_user)
    refused = client.post(f"/offers/{offer_b.id}/accept")
    assert refused.status_code == 409 and "受諾できません" in refused.text
    assert _state(app, SupportRequest, req.id) == "filled"
    assert _reserved(app, second) == 0


def test_partially_filled_then_filled(app, client, factory, login, people):
    coordinator, first_user, first = people
    second_user, second = factory.talent_user("03")
    req = factory.request("032018", hours_per_month=10, headcount=2)
    offers = [factory.offer(coordinator, req, t) for t in (first, second)]
    for user, offer, expected in zip(
        (first_user, second_user), offers, ("partially_filled", "filled"), strict=True
    ):
        login(user)
        assert client.post(f"/offers/{offer.id}/accept").status_code == 302
        client.post("/logout")
        assert _state(app, SupportRequest, req.id) == expected


def test_ending_early_frees_the_hours_and_reopens_the_request(app, client, factory, login, people):
    coordinator, talent_user, talent = people
    req = factory.request("032018", hours_per_month=30)
    offer = factory.offer(coordinator, req, talent)
    login(talent_user)
    url = client.post(f"/offers/{offer.id}/accept").headers["Location"]
    client.post("/logout")
    assert _reserved(app, talent) == 30 and _state(app, SupportRequest, req.id) == "filled"

    login(coordinator)
    assert client.post(url + "/end-early", data={"reason": ""}).status_code == 400
    assert (
        client.post(
            url + "/end-early", data={"reason": "体調不良のため", "confirmed": "1"}
        ).status_code
        == 302
    )
    assert (
        client.post(url + "/complete", data={"confirmed": "1"}).status_code == 409
    )  # already ended
    client.post("/logout")
    assert _reserved(app, talent) == 0
    assert _state(app, SupportRequest, req.id) == "open"
    with app.app_context():
        assignment = db.session.scalar(select(Assignment).where(Assignment.offer_id == offer.id))
        assert assignment.state == "ended_early" and assignment.end_reason == "体調不良のため"
    assert "assignment_ended_early" in _kinds(app, talent_user)


def test_completing_frees_the_hours_but_keeps_the_request_filled(
    app, client, factory, login, people
):
    coordinator, talent_user, talent = people
    req = factory.request("032018", hours_per_month=30)
    offer = factory.offer(coordinator, req, talent)
    login(talent_user)
    url = client.post(f"/offers/{offer.id}/accept").headers["Location"]
    client.post("/logout")
    login(coordinator)
    assert client.post(url + "/complete", data={"confirmed": "1"}).status_code == 302
    assert _reserved(app, talent) == 0
    assert _state(app, SupportRequest, req.id) == "filled"
    assert "assignment_completed" in _kinds(app, talent_user)


def test_lowering_available_hours_below_reserved_is_refused(app, factory, people):
    coordinator, talent_user, talent = people
    req = factory.request("032018", hours_per_month=30)
    offer = factory.offer(coordinator, req, talent)
    from talentpool.services.offers.lifecycle import accept_offer

    with app.test_request_context():
        accept_offer(db.session.get(User, talent_user.id), db.session.get(Offer, offer.id))
        db.session.commit()
        row = db.session.get(Talent, talent.id)
        with pytest.raises(DomainError) as refused:
            capacity.check_available_hours(row, 20)
        assert refused.value.field == "available_hours_per_month"
        assert "月30時間が予約されています" in str(refused.value.message)
        capacity.check_available_hours(row, 30)  # exactly what is reserved: allowed
        with pytest.raises(DomainError):
            capacity.check_available_hours(row, -1)


def test_send_refuses_unfit_talent_with_a_message(app, client, factory, login, people):
    coordinator, _talent_user, _talent = people
    reply_by = (today() + timedelta(days=3)).isoformat()
    onsite = factory.request("032018", onsite_required=True, hours_per_month=10)
    _u, remote = factory.talent_user("03", work_style="remote")
    no_account = factory.talent("03")
    login(coordinator)
    cases = [
        (onsite.id, remote.id, reply_by, "リモートのみ"),
        (onsite.id, no_account.id, reply_by, "アカウントがない"),
        (onsite.id, _talent.id, (today() - timedelta(days=1)).isoformat(), "今日以降"),
    ]
    for request_id, talent_id, reply, message in cases:
        page = client.post(
            f"/offers/new/{request_id}",
            data={"talent_id": talent_id, "hours_per_month": "10", "reply_by": reply},
        )
        assert page.status_code == 400 and message in page.text, message
    # The same talent twice for the same request is refused.
    assert (
        client.post(
            f"/offers/new/{onsite.id}",
            data={"talent_id": _talent.id, "hours_per_month": "10", "reply_by": reply_by},
        ).status_code
        == 302
    )
    twice = client.post(
        f"/offers/new/{onsite.id}",
        data={"talent_id": _talent.id, "hours_per_month": "10", "reply_by": reply_by},
    )
    assert twice.status_code == 400 and "既にあります" in twice.text
    with app.app_context():
        assert len(db.session.scalars(select(Offer)).all()) == 1


def test_request_page_shows_an_overdue_offer_as_lapsed_without_lapsing_it(
    app, client, factory, login, people
):
    coordinator, _talent_user, talent = people
    req = factory.request("032018", hours_per_month=10)
    offer = factory.offer(coordinator, req, talent)
    login(coordinator)
    assert "失効" not in client.get(f"/requests/{req.id}").text
    _make_overdue(app, offer)
    page = client.get(f"/requests/{req.id}")  # the page only reads: the rule, not the cron
    assert "失効" in page.text and "回答待ち" not in page.text
    assert _state(app, Offer, offer.id) == "sent"
