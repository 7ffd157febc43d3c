"""Requests move on with the calendar and through one table of allowed moves.

The clock fixture stands the app on a chosen day; moving it across an end date changes what
every page shows without any other action.
"""

from datetime import date

import pytest
from sqlalchemy import select

from talentpool.config import from_environment
from talentpool.extensions import db
from talentpool.models import AuditEvent, Notification, RequestState, Role, SupportRequest
from talentpool.services.matching import bridge as matching
from talentpool.services.requests.states import ACTIONS, BY_SEATS, MOVES, PREVIOUS
from talentpool.services.requests.support_requests import IllegalTransition, apply_transition, move

END = date(2027, 3, 31)


def _state(app, item_id):
    with app.app_context():
        return db.session.get(SupportRequest, item_id).state


def test_the_clock_is_settable_outside_production_only(monkeypatch):
    monkeypatch.setenv("TALENTPOOL_TODAY", "2027-04-01")
    monkeypatch.setenv("TALENTPOOL_ENV", "demo")
    assert from_environment()["TODAY"] == date(2027, 4, 1)
    monkeypatch.setenv("TALENTPOOL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert from_environment()["TODAY"] is None
    monkeypatch.setenv("TALENTPOOL_ENV", "demo")
    monkeypatch.setenv("TALENTPOOL_TODAY", "4月1日")
    with pytest.raises(RuntimeError, match="TALENTPOOL_TODAY"):
        from_environment()


def test_every_state_and_action_pair_follows_the_table(app, factory):
    """Walk every (state, action): allowed pairs land where MOVES says, others are refused
    and change nothing. User actions go through apply_transition, system moves through move."""
    walked = 0
    for state in RequestState:
        for action in ACTIONS:
            item = factory.request(
                "032018",
                state=state,
                skills=("frontyard",),
                headcount=2,
                end_date=END,
                reopen_state="open" if state in ("closed", "cancelled") else None,
            )
            with app.app_context():
                item = db.session.get(SupportRequest, item.id)
                expected = MOVES.get((state, action))
                try:
                    if action in ("publish", "withdraw", "close", "cancel", "reopen"):
                        apply_transition(item, action, Role.coordinator)
                    else:
                        move(item, action)
                except IllegalTransition:
                    assert expected is None, (state, action)
                    assert item.state == state
                else:
                    assert expected is not None, (state, action)
                    # no seats are held and the period runs, so both resolve to "open"
                    resolved = "open" if expected in (PREVIOUS, BY_SEATS) else expected
                    assert item.state == resolved, (state, action)
                db.session.rollback()
            walked += 1
    assert walked == len(RequestState) * len(ACTIONS)


def test_reopening_returns_to_the_state_it_came_from(app, client, factory, login):
    draft = factory.request("032018", state="draft", skills=("bpr",))
    login(factory.coordinator("03"))
    confirmed = {"confirmed": "1"}
    assert client.post(f"/requests/{draft.id}/transition/cancel", data=confirmed).status_code == 302
    assert _state(app, draft.id) == "cancelled"
    page = client.get(f"/requests/{draft.id}").text
    assert "再開する" in page and "「下書き」に戻ります" in page
    client.post(f"/requests/{draft.id}/transition/reopen")
    assert _state(app, draft.id) == "draft"  # never published by reopening
    with app.app_context():
        assert db.session.get(SupportRequest, draft.id).published_at is None

    partly = factory.request("032018", state="partially_filled", headcount=3, end_date=END)
    client.post(f"/requests/{partly.id}/transition/cancel", data=confirmed)
    client.post(f"/requests/{partly.id}/transition/reopen")
    # back to recruiting: with no seat held any more, as open
    assert _state(app, partly.id) == "open"


def test_cancel_asks_for_confirmation_first_and_changes_nothing_until_then(
    app, client, factory, login
):
    item = factory.request("032018", state="open", title="窓口改革の依頼")
    login(factory.officer("032018"))
    detail = client.get(f"/requests/{item.id}").text
    assert "取り消す" in detail
    asked = client.post(f"/requests/{item.id}/transition/cancel")
    assert asked.status_code == 200
    assert "確認してください" in asked.text and "窓口改革の依頼" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assert f'href="/requests/{item.id}"' in asked.text  # a way back
    assert _state(app, item.id) == "open"
    done = client.post(f"/requests/{item.id}/transition/cancel", data={"confirmed": "1"})
    assert done.status_code == 302 and _state(app, item.id) == "cancelled"


def test_a_request_past_its_end_date_stops_recruiting_when_read(app, client, factory, login, clock):
    clock.set(date(2027, 3, 31))
    officer = factory.officer("032018")
    item = factory.request("032018", state="open", skills=("frontyard",), end_date=END)
    login(factory.coordinator("03"))
    assert "募集中" in client.get(f"/requests/{item.id}").text
    with app.app_context():
        assert item.id in {r.id for r in matching.load_requests(item.prefecture_id)}

    clock.set(date(2027, 4, 1))  # nothing else happens: the next page read moves it
    page = client.get("/requests/").text
    assert "期間切れ(要対応)" in page and _state(app, item.id) == "expired"
    detail = client.get(f"/requests/{item.id}").text
    assert "終了日(2027-03-31)を過ぎたため" in detail
    with app.app_context():
        assert item.id not in {r.id for r in matching.load_requests(item.prefecture_id)}
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "support_request", AuditEvent.entity_id == str(item.id))
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.changes["state"] == ["open", "expired"] and event.actor_id is None
        notices = db.session.scalars(
            select(Notification).where(Notification.kind == "request_expired")
        ).all()
        assert [n.user_id for n in notices] == [officer.id]
    client.get("/requests/")  # a second read moves and notifies nothing more
    with app.app_context():
        assert (
            len(
                db.session.scalars(
                    select(Notification).where(Notification.kind == "request_expired")
                ).all()
            )
            == 1
        )


def test_an_ended_request_is_neither_offered_nor_accepted(app, client, factory, login, clock):
    clock.set(date(2027, 3, 20))
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03", skills=("frontyard",))
    item = factory.request("032018", skills=("frontyard",), end_date=END)
    offer = factory.offer(coordinator, item, talent, reply_by=date(2027, 4, 10))
    clock.set(date(2027, 4, 1))
    login(talent_user)
    refused = client.post(f"/offers/{offer.id}/accept")
    assert refused.status_code == 409 and "募集を終了" in refused.text
    client.post("/logout")
    login(coordinator)
    other_user, other = factory.talent_user("03", skills=("frontyard",))
    form = client.post(
        f"/offers/new/{item.id}",
        data={"talent_id": other.id, "hours_per_month": "20", "reply_by": "2027-04-10"},
    )
    assert form.status_code == 400 and "募集中ではない" in form.text
    assert f"/offers/new/{item.id}" not in client.get("/offers/new").text


def test_extending_the_end_date_brings_an_expired_request_back(app, client, factory, login, clock):
    clock.set(date(2027, 4, 1))
    item = factory.request("032018", state="expired", end_date=END, headcount=1)
    login(factory.officer("032018"))
    page = client.get(f"/requests/{item.id}/edit").text
    assert 'name="end_date"' in page and 'name="title"' not in page
    fields = {
        "description": "延長します。",
        "end_date": "2027-09-30",
        "contact_name": "デジタル推進課 担当",
        "contact_email": "dx@example.lg.jp",
    }
    assert client.post(f"/requests/{item.id}/edit", data=fields).status_code == 302
    assert _state(app, item.id) == "open"
    # an end date in the past puts it back at once
    fields.update(end_date="2027-03-31", hours_per_month="20", headcount="1")  # open: editable
    assert client.post(f"/requests/{item.id}/edit", data=fields).status_code == 302
    assert _state(app, item.id) == "expired"
    closed = client.post(f"/requests/{item.id}/transition/close", data={"confirmed": "1"})
    assert closed.status_code == 302 and _state(app, item.id) == "closed"


def test_publishing_needs_a_contact_and_a_running_period(app, client, factory, login, clock):
    clock.set(date(2027, 4, 1))
    item = factory.request(
        "032018",
        state="draft",
        skills=("frontyard",),
        contact_name="",
        contact_email=None,
        end_date=date(2027, 6, 30),
    )
    login(factory.officer("032018"))
    refused = client.post(f"/requests/{item.id}/transition/publish")
    assert refused.status_code == 409 and "担当者の連絡先が必要です" in refused.text
    assert _state(app, item.id) == "draft"
    ended = factory.request(
        "032018", state="draft", skills=("frontyard",), end_date=date(2027, 3, 31)
    )
    refused = client.post(f"/requests/{ended.id}/transition/publish")
    assert refused.status_code == 409 and "終了日(2027-03-31)が過ぎている" in refused.text
    assert _state(app, ended.id) == "draft"


def test_the_new_request_form_is_prefilled_with_the_officers_contact(client, factory, login):
    officer = factory.user(
        "municipal_officer", municipality="032018", name="盛岡 花子", email="hanako@city.example.jp"
    )
    login(officer)
    page = client.get("/requests/new").text
    assert 'value="盛岡 花子"' in page and 'value="hanako@city.example.jp"' in page


def test_a_published_requests_contact_cannot_be_removed(app, client, factory, login):
    item = factory.request("032018", state="open", end_date=END)
    login(factory.officer("032018"))
    response = client.post(
        f"/requests/{item.id}/edit",
        data={
            "description": "x",
            "hours_per_month": "20",
            "headcount": "1",
            "end_date": "2027-03-31",
            "contact_name": "",
            "contact_email": "",
        },
    )
    assert response.status_code == 400 and "担当者名を入力してください" in response.text
    with app.app_context():
        assert db.session.get(SupportRequest, item.id).contact_name == "デジタル推進課 担当"


def test_the_daily_job_moves_once_and_a_second_run_changes_nothing(app, runner, factory, clock):
    clock.set(date(2027, 4, 1))
    item = factory.request("032018", state="partially_filled", headcount=2, end_date=END)
    first = runner.invoke(args=["daily"])
    assert first.exit_code == 0 and first.output.startswith("1 request(s)")
    assert _state(app, item.id) == "expired"
    again = runner.invoke(args=["daily"])
    assert again.exit_code == 0 and again.output.startswith("0 request(s)")
    assert "sent 0 assignment-started and 0 complete-the-assignment" in again.output
