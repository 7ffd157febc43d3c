"""Changing a password, resetting a forgotten one by an e-mailed link, and the reset a
coordinator (or the national admin) starts for someone they look after."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import AuditEvent, LoginThrottle, OutboxMessage, PasswordReset, utcnow
from talentpool.services.accounts.login_throttle import key_for
from tests.factories import PASSWORD

NEW_PASSWORD = "盛岡の朝は冷える-2026"
SENT = "パスワード再設定のリンクをお送りしました"


def _mails_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        ).all()


def _link(mail: OutboxMessage) -> str:
    return re.search(r"https?://\S+/password/reset/\S+", mail.body_text).group(0)


def _path(link: str) -> str:
    return "/password/" + link.split("/password/", 1)[1]


def _flash(response) -> str:
    return " ".join(re.findall(r'<p class="flash flash--\w+"[^>]*>(.*?)</p>', response.text))


def _forgot(client, email: str, **kwargs):
    return client.post("/password/forgot", data={"email": email}, **kwargs)


def test_forgot_password_answers_the_same_and_mails_the_owner_only(app, client, factory):
    officer = factory.officer("032018")
    login_page = client.get("/login").text
    assert "パスワードを忘れた方" in login_page and 'href="/password/forgot"' in login_page
    known = _forgot(client, officer.email.upper())
    unknown = _forgot(client, "nobody-here@example.jp")
    assert known.status_code == unknown.status_code == 200
    assert _flash(known) == _flash(unknown) and SENT in _flash(known)
    (mail,) = _mails_to(app, officer.email)
    assert _mails_to(app, "nobody-here@example.jp") == []
    # Without MAIL_SERVER the link is in the mail (outbox, log) but never on the page.
    assert "/password/reset/" not in known.text


def test_the_link_is_built_on_base_url_not_on_the_request_host(app, client, factory):
    officer = factory.officer("032018")
    _forgot(client, officer.email, headers={"Host": "evil.example"})
    (mail,) = _mails_to(app, officer.email)
    assert _link(mail).startswith(app.config["BASE_URL"] + "/password/reset/")
    assert "evil.example" not in mail.body_text


def test_reset_by_link_sets_the_password_once_and_ends_other_sessions(app, client, factory, login):
    officer = factory.officer("032018")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert elsewhere.get("/").status_code == 200
    _forgot(client, officer.email)
    path = _path(_link(_mails_to(app, officer.email)[0]))

    page = client.get(path)
    assert page.status_code == 200 and officer.email in page.text
    weak = client.post(path, data={"password": "Password12345", "confirm": "Password12345"})
    assert weak.status_code == 400 and "推測されやすいパスワードです" in weak.text
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/login"

    assert elsewhere.get("/").status_code == 302  # the other session has ended
    assert client.post("/login", data={"email": officer.email, "password": PASSWORD}).status_code
    old = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert old.status_code == 401
    login(officer, NEW_PASSWORD)
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 404 and "既に使用されています" in again.text
    with app.app_context():  # audited: the new password (masked) and the link's creation
        changed = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.entity == "user_account",
                AuditEvent.entity_id == str(officer.id),
                AuditEvent.action == "update",
            )
        )
        assert changed.changes["password_hash"] == ["***", "***"]
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.entity == "password_reset", AuditEvent.action == "create"
            )
        )


def test_links_expire_and_a_newer_one_replaces_the_older(app, client, factory):
    officer = factory.officer("032018")
    _forgot(client, officer.email)
    _forgot(client, officer.email)
    first, second = (_path(_link(mail)) for mail in _mails_to(app, officer.email))
    replaced = client.get(first)
    assert replaced.status_code == 404 and "既に使用されています" in replaced.text
    assert client.get(second).status_code == 200
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = client.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert expired.status_code == 404 and "有効期限が切れています" in expired.text
    assert client.get("/password/reset/not-a-token").status_code == 404


def test_a_reset_lets_the_owner_in_while_the_address_waits(app, client, factory):
    officer = factory.officer("032018")
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"] + 1):
        client.post("/login", data={"email": officer.email, "password": "wrong-password-1"})
    waiting = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert waiting.status_code == 429
    _forgot(client, officer.email)
    path = _path(_link(_mails_to(app, officer.email)[-1]))
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    with app.app_context():
        assert db.session.get(LoginThrottle, key_for(officer.email)) is None
    response = client.post("/login", data={"email": officer.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_forgot_password_is_throttled_per_address(make_app):
    limited = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour",
    )

    def ask(address: str):
        return limited.test_client().post(
            "/password/forgot",
            data={"email": "someone@example.jp"},
            environ_base={"REMOTE_ADDR": address},
        )

    codes = [ask(f"192.0.2.{n}").status_code for n in range(1, 4)]
    assert codes == [200, 200, 429]


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, client, factory, login):
    officer = factory.officer("032018")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": officer.email, "password": PASSWORD})
    login(officer)
    page = client.get("/password/change")
    assert page.status_code == 200 and "パスワード変更" in client.get("/").text
    wrong = client.post(
        "/password/change",
        data={
            "current_password": "not-it-at-all",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400 and "現在のパスワードが正しくありません" in wrong.text
    weak = client.post(
        "/password/change",
        data={
            "current_password": PASSWORD,
            "password": "パスワードパスワード",
            "confirm": "パスワードパスワード",
        },
    )
    assert weak.status_code == 400 and "繰り返し" in weak.text
    done = client.post(
        "/password/change",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert elsewhere.get("/").status_code == 302  # the other one has ended
    client.post("/logout")
    login(officer, NEW_PASSWORD)


def test_a_coordinator_starts_a_reset_for_their_prefectures_users(app, client, factory, login):
    officer = factory.officer("032018")
    other = factory.coordinator("20")
    login(other)
    assert client.post(f"/accounts/users/{officer.id}/reset-password").status_code == 404
    client.post("/logout")
    coordinator = factory.coordinator("03")
    login(coordinator)
    assert "パスワード再設定" in client.get("/accounts/invitations").text
    response = client.post(f"/accounts/users/{officer.id}/reset-password", follow_redirects=True)
    (mail,) = _mails_to(app, officer.email)
    # No MAIL_SERVER: the coordinator is shown the link to pass on, as for invitations.
    assert _link(mail) in response.text
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.requested_by_id == coordinator.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "password_reset"))
        assert event.actor_id == coordinator.id
        assert event.prefecture_id == factory.prefecture("03").id  # in 岩手's trail
    client.post("/logout")
    done = client.post(_path(_link(mail)), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    login(officer, NEW_PASSWORD)


def test_with_a_mail_server_the_link_is_not_shown(app, client, factory, login, monkeypatch):
    officer = factory.officer("032018")
    login(factory.coordinator("03"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # refused at once: the mail stays queued
    response = client.post(f"/accounts/users/{officer.id}/reset-password", follow_redirects=True)
    assert "メールで送りました" in response.text and "/password/reset/" not in response.text


def test_the_national_admin_resets_coordinators_only(app, client, factory, login):
    officer = factory.officer("032018")
    coordinator = factory.coordinator("03")
    login(factory.admin())
    assert client.post(f"/accounts/users/{officer.id}/reset-password").status_code == 404
    assert client.post(f"/accounts/users/{coordinator.id}/reset-password").status_code == 302
    assert len(_mails_to(app, coordinator.email)) == 1
