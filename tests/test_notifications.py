"""In-app notifications: the unread count for every role, opening, marking read, the demo
outbox, and the monthly activity reminder."""

from datetime import datetime, timedelta

from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import Assignment, Notification, User
from talentpool.services.clock import today


def test_header_shows_the_unread_count_for_every_role(client, factory, login):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    officer = factory.officer("032018")
    offer = factory.offer(coordinator, factory.request("032018"), talent)
    login(talent_user)
    client.post(f"/offers/{offer.id}/accept")
    client.post("/logout")
    admin = factory.admin()
    for user, unread in ((coordinator, 2), (talent_user, 2), (officer, 1), (admin, 0)):
        login(user)
        page = client.get("/")
        assert "お知らせ" in page.text, user.role
        if unread:
            assert f'data-unread="{unread}"' in page.text, user.role
        else:
            assert "data-unread" not in page.text
        client.post("/logout")


def test_open_marks_read_and_goes_to_the_link(app, client, factory, login):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    offer = factory.offer(coordinator, factory.request("032018", title="窓口改革"), talent)
    login(talent_user)
    listing = client.get("/notifications/")
    assert "窓口改革" in listing.text and "未読" in listing.text
    with app.app_context():
        notice = db.session.scalar(select(Notification))
    opened = client.post(f"/notifications/{notice.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/offers/{offer.id}"
    assert "data-unread" not in client.get("/").text
    client.post("/logout")
    # Someone else's notice: not found, and still read/unread as it was.
    login(coordinator)
    assert client.post(f"/notifications/{notice.id}/open").status_code == 404


def test_read_all_and_outbox(app, client, factory, login):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    for _ in range(2):
        factory.offer(coordinator, factory.request("032018"), talent)
    login(talent_user)
    assert 'data-unread="2"' in client.get("/").text
    done = client.post("/notifications/read-all", follow_redirects=True)
    assert "2件を既読にしました" in done.text
    outbox = client.get("/notifications/outbox")
    assert outbox.status_code == 200 and outbox.text.count("打診が届きました") >= 2


def test_outbox_page_is_hidden_when_mail_is_really_sent(app, client, factory, login):
    login(factory.coordinator("03"))
    app.config["MAIL_SERVER"] = "smtp.invalid"
    try:
        assert client.get("/notifications/outbox").status_code == 404
    finally:
        app.config["MAIL_SERVER"] = ""


def test_remind_activity_command_reminds_once_for_last_month(app, client, runner, factory, login):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    logged_user, logged = factory.talent_user("03")
    this_month = today().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    urls = []
    for user, person in ((talent_user, talent), (logged_user, logged)):
        req = factory.request(
            "032018", hours_per_month=10, start_date=last_month - timedelta(days=30), end_date=None
        )
        offer = factory.offer(coordinator, req, person)
        login(user)
        urls.append(client.post(f"/offers/{offer.id}/accept").headers["Location"])
        client.post("/logout")
    with app.app_context():  # both assignments have existed since before this month
        db.session.execute(
            update(Assignment).values(
                created_at=datetime.combine(last_month - timedelta(days=20), datetime.min.time())
            )
        )
        db.session.commit()
    login(logged_user)
    assert (
        client.post(
            urls[1] + "/activity",
            data={"month": last_month.isoformat(), "hours": "8", "note": "定例会"},
        ).status_code
        == 302
    )
    client.post("/logout")

    result = runner.invoke(args=["remind-activity"])
    assert result.exit_code == 0 and "sent 1 activity reminder(s)" in result.output
    again = runner.invoke(args=["remind-activity"])
    assert "sent 0 activity reminder(s)" in again.output
    with app.app_context():
        reminded = db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "activity_missing")
        ).all()
    assert reminded == [talent_user.id]
    login(talent_user)
    assert last_month.strftime("%Y-%m") in client.get("/notifications/").text


def test_notifications_reach_only_enabled_officers(app, factory):
    from talentpool.services.notifications import officers_of

    officer = factory.officer("032018")
    disabled = factory.officer("032018")
    with app.app_context():
        db.session.get(User, disabled.id).is_enabled = False
        db.session.commit()
        ids = [u.id for u in officers_of(officer.municipality_id)]
    assert ids == [officer.id]
