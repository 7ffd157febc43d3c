"""Assignments follow the calendar: 派遣予定 before the start, 派遣中 during the period, and
past the end the coordinator is asked to complete them (one list, bulk complete)."""

import re
from datetime import date

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Assignment, Notification

START, END = date(2027, 4, 1), date(2027, 9, 30)


def _kinds(app, user_id):
    with app.app_context():
        return [
            n.kind
            for n in db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        ]


def _count(page: str, label: str) -> int:
    return int(re.search(r'attention__count">(\d+)</span> ' + re.escape(label), page).group(1))


def _world(factory, **request_values):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03", available_hours_per_month=80)
    req = factory.request("032018", start_date=START, end_date=END, **request_values)
    return coordinator, talent_user, talent, req


def test_an_assignment_accepted_before_its_start_is_scheduled_until_then(
    app, client, factory, login, runner, clock
):
    clock.set(date(2027, 3, 10))
    coordinator, talent_user, talent, req = _world(factory)
    assignment = factory.assignment(coordinator, req, talent, 20)
    assert "assignment_confirmed" in _kinds(app, talent_user.id)
    assert "assignment_started" not in _kinds(app, talent_user.id)

    login(talent_user)
    url = f"/offers/assignments/{assignment.id}"
    page = client.get(url).text
    assert "派遣予定" in page and "派遣は2027-04-01に始まります" in page
    assert "活動を記録する" not in page
    refused = client.post(url + "/activity", data={"month": "2027-03-01", "hours": "5"})
    assert refused.status_code == 400
    assert "派遣予定" in client.get("/offers/").text
    assert _count(client.get("/").text, "派遣中") == 0  # not yet

    clock.set(START)  # the day it starts: the daily job announces it, once
    assert "sent 2 assignment-started" in runner.invoke(args=["daily"]).output
    assert _kinds(app, talent_user.id).count("assignment_started") == 1
    runner.invoke(args=["daily"])
    assert _kinds(app, talent_user.id).count("assignment_started") == 1
    page = client.get(url).text
    assert "派遣中" in page and "活動を記録する" in page
    assert '<option value="2027-04-01">2027-04</option>' in page


def test_an_assignment_past_its_end_asks_the_coordinator_to_complete_it(
    app, client, factory, login, runner, clock
):
    clock.set(date(2027, 5, 10))
    coordinator, talent_user, talent, req = _world(factory)
    assignment = factory.assignment(coordinator, req, talent, 20)
    other = factory.assignment(
        coordinator, factory.request("032018", start_date=START, end_date=END), talent, 20
    )
    running = factory.assignment(
        coordinator,
        factory.request("032018", start_date=START, end_date=date(2028, 3, 31)),
        talent,
        20,
    )

    clock.set(date(2027, 11, 5))
    output = runner.invoke(args=["daily"]).output
    assert "2 complete-the-assignment notice(s)" in output
    assert "0 complete-the-assignment" in runner.invoke(args=["daily"]).output

    # the talent is not reminded of October, after the period
    login(talent_user)
    home = client.get("/").text
    assert _count(home, "先月の活動記録が未入力の派遣") == 1  # only the one still running
    client.post("/logout")

    login(coordinator)
    assert _count(client.get("/").text, "期間が終了した派遣(完了待ち)") == 2
    detail = client.get(f"/offers/assignments/{assignment.id}").text
    assert "期間終了・完了待ち" in detail and "終了日(2027-09-30)を過ぎています" in detail
    listing = client.get("/offers/assignments/overdue").text
    assert "全 2 件" in listing and talent.name in listing
    assert f'value="{running.id}"' not in listing
    filtered = client.get("/offers/?view=assignments&state=overdue").text
    assert filtered.count(f"/offers/assignments/{assignment.id}") == 1
    assert f"/offers/assignments/{running.id}" not in filtered

    ids = {"ids": [str(assignment.id), str(other.id)]}
    asked = client.post("/offers/assignments/complete", data=ids)
    assert asked.status_code == 200 and "確認してください" in asked.text
    assert asked.text.count('name="ids"') == 2
    with app.app_context():
        assert db.session.get(Assignment, assignment.id).state == "active"
    done = client.post("/offers/assignments/complete", data={**ids, "confirmed": "1"})
    assert done.status_code == 302
    with app.app_context():
        states = {
            a.id: a.state
            for a in db.session.scalars(
                select(Assignment).where(Assignment.id.in_([assignment.id, other.id, running.id]))
            )
        }
    assert states == {assignment.id: "completed", other.id: "completed", running.id: "active"}
    assert "全 0 件" in client.get("/offers/assignments/overdue").text
    # nothing chosen, or someone else's assignment: refused, nothing changes
    assert client.post("/offers/assignments/complete", data={}).status_code == 400
    assert (
        client.post(
            "/offers/assignments/complete", data={"ids": str(running.id) + "0", "confirmed": "1"}
        ).status_code
        == 400
    )


def test_bulk_complete_of_an_assignment_already_ended_is_a_conflict(
    app, client, factory, login, clock
):
    clock.set(date(2027, 11, 5))
    coordinator, _talent_user, talent, req = _world(factory)
    clock.set(date(2027, 5, 1))
    assignment = factory.assignment(coordinator, req, talent, 20, end="complete")
    clock.set(date(2027, 11, 5))
    login(coordinator)
    response = client.post(
        "/offers/assignments/complete", data={"ids": str(assignment.id), "confirmed": "1"}
    )
    assert response.status_code == 409 and "既に終了しています" in response.text
