"""Mail leaves after the commit, from the outbox: a page never talks to the mail server, a
rolled-back request sends nothing, and `talentpool send-mail` delivers with retries against a
local SMTP server (aiosmtpd) that accepts, is slow, refuses, or is down."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.mail_delivery import BACKOFF_MINUTES, MAX_ATTEMPTS, _claim, deliver_due
from talentpool.models import OutboxMessage, utcnow
from talentpool.notifications.commands import run_loop
from talentpool.services.clock import today


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    """Accepts mail, or behaves badly as `mode` says: slow, refuse (550), busy (451)."""

    def __init__(self):
        self.mode = "accept"
        self.received: list = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "slow":
            await asyncio.sleep(3)
        if self.mode == "busy":
            return "451 4.3.0 Try again later"
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp(app, monkeypatch):
    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
    yield handler
    controller.stop()


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _deliver(app, at=None):
    with app.app_context():
        return deliver_due(now=(lambda: at) if at else utcnow)


def _one_offer(factory):
    coordinator = factory.coordinator("03")
    _user, talent = factory.talent_user("03")
    return coordinator, talent, factory.request("032018", title="窓口改革")


def test_an_offer_page_never_talks_to_the_mail_server_send_mail_does(
    app, client, runner, factory, login, smtp
):
    coordinator = factory.coordinator("03")
    people = [factory.talent_user("03")[1] for _ in range(3)]
    request = factory.request("032018", title="窓口改革", headcount=3)
    login(coordinator)
    for person in people:
        sent = client.post(
            f"/offers/new/{request.id}",
            data={
                "talent_id": str(person.id),
                "hours_per_month": "10",
                "reply_by": (today() + timedelta(days=7)).isoformat(),
                "message": "ご検討ください。",
            },
        )
        assert sent.status_code == 302, sent.text[:800]
    assert smtp.connections == 0  # each request wrote the outbox and answered
    waiting = _outbox(app)
    assert len(waiting) == 3 and all(m.sent_at is None for m in waiting)

    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 3, will retry 0, gave up 0" in result.output
    assert smtp.connections == 1  # one connection for the whole pass
    assert sorted(m["To"] for m in smtp.received) == sorted(m.recipient for m in waiting)
    first = smtp.received[0]
    assert str(make_header(decode_header(first["Subject"]))).startswith("[デジタル人材プール] ")
    assert "デジタル人材プール" in str(make_header(decode_header(first["From"])))
    assert all(m.sent_at is not None and m.attempts == 1 for m in _outbox(app))
    again = runner.invoke(args=["send-mail"])
    assert "nothing to send" in again.output and len(smtp.received) == 3


def test_a_request_that_rolls_back_sends_nothing(app, runner, factory, smtp):
    from talentpool.models import User
    from talentpool.services.offers.lifecycle import send_offers

    coordinator, talent, request = _one_offer(factory)
    with app.test_request_context():
        send_offers(
            db.session.get(User, coordinator.id),
            [(request.id, talent.id, 10)],
            "よろしくお願いします。",
            today() + timedelta(days=7),
        )
        assert db.session.scalars(select(OutboxMessage)).all()  # written with the offer …
        db.session.rollback()  # … and gone with it
    assert _outbox(app) == []
    runner.invoke(args=["send-mail"])
    assert smtp.received == [] and smtp.connections == 0


def test_a_busy_server_is_retried_with_growing_pauses(app, factory, smtp):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)
    smtp.mode = "busy"
    start = utcnow()
    report = _deliver(app, start)
    assert (report.sent, report.retrying) == (0, 1)
    (message,) = _outbox(app)
    assert message.attempts == 1 and "451" in message.last_error
    assert message.next_attempt_at == start + timedelta(minutes=BACKOFF_MINUTES[0])
    # Not due yet: nothing is tried.
    assert _deliver(app, start + timedelta(seconds=30)).retrying == 0
    assert _outbox(app)[0].attempts == 1
    report = _deliver(app, start + timedelta(minutes=1))
    (message,) = _outbox(app)
    assert report.retrying == 1 and message.attempts == 2
    assert message.next_attempt_at == start + timedelta(minutes=1 + BACKOFF_MINUTES[1])
    smtp.mode = "accept"
    assert _deliver(app, start + timedelta(minutes=7)).sent == 1
    (message,) = _outbox(app)
    assert message.sent_at is not None and message.last_error is None and message.attempts == 3


def test_a_refused_recipient_is_given_up_at_once_and_shown_to_the_coordinator(
    app, client, factory, login, smtp
):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)
    smtp.mode = "refuse"
    report = _deliver(app)
    assert (report.given_up, report.retrying) == (1, 0)
    (message,) = _outbox(app)
    assert message.failed_at is not None and "550" in message.last_error

    login(coordinator)
    page = client.get("/notifications/mail")
    assert "送信失敗" in page.text and "550 5.1.1 No such user here" in page.text
    assert message.recipient in page.text
    assert "送信失敗" in client.get("/notifications/mail?status=failed").text
    assert "該当するメールはありません" in client.get("/notifications/mail?status=sent").text
    assert "該当するメールはありません" in client.get("/notifications/mail?q=nobody").text
    # The address is fixed on the server side: "send again" gives it a full set of tries.
    smtp.mode = "accept"
    assert client.post(f"/notifications/mail/{message.id}/retry").status_code == 303
    assert _deliver(app).sent == 1
    client.post("/logout")
    # Another prefecture's coordinator does not see this prefecture's mail.
    login(factory.coordinator("20"))
    assert message.recipient not in client.get("/notifications/mail?status=sent").text
    assert client.post(f"/notifications/mail/{message.id}/retry").status_code == 404


def test_a_server_that_is_down_or_slow_delays_the_pass_and_nothing_is_lost(app, factory, smtp):
    coordinator, talent, request = _one_offer(factory)
    for _ in range(3):
        factory.offer(coordinator, factory.request("032018"), talent)
    assert len(_outbox(app)) == 3
    smtp.mode = "slow"  # answers DATA after 3 s; send-mail waits 1 s (MAIL_TIMEOUT)
    report = _deliver(app)
    assert (report.sent, report.retrying, report.left) == (0, 1, 2)  # stopped after the first
    tried = [m for m in _outbox(app) if m.attempts]
    assert len(tried) == 1 and "timed out" in tried[0].last_error
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there: the server is down
    report = _deliver(app)
    assert (report.retrying, report.left) == (1, 1)
    assert all(m.sent_at is None and m.failed_at is None for m in _outbox(app))


def test_delivery_is_given_up_after_the_last_retry(app, factory, smtp):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)
    smtp.mode = "busy"
    at = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = _deliver(app, at)
        (message,) = _outbox(app)
        assert message.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert report.retrying == 1 and message.failed_at is None
            at = message.next_attempt_at
    assert report.given_up == 1 and message.failed_at is not None
    assert at - message.created_at > timedelta(hours=15)  # retried for most of a day


def test_two_senders_never_take_the_same_message(app, factory):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)
    (message,) = _outbox(app)
    with app.app_context():
        now = utcnow()
        assert _claim(message.id, now) is True
        assert _claim(message.id, now) is False  # the other sender's claim finds it taken


def test_loop_mode_keeps_delivering_until_stopped(app, factory, smtp):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)

    class StopAfterFirstPass(threading.Event):
        def wait(self, timeout=None):
            self.set()
            return True

    with app.app_context():
        run_loop(30, StopAfterFirstPass())
    assert len(smtp.received) == 1


def test_without_a_mail_server_mail_stays_in_the_outbox(app, runner, factory):
    coordinator, talent, request = _one_offer(factory)
    factory.offer(coordinator, request, talent)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set: 1 message(s) stay in the outbox" in result.output
    assert _outbox(app)[0].sent_at is None
