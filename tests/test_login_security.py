"""Login throttling (per IP and per account), lockout with unlock, password rules, CSRF."""

import pytest

from talentpool.extensions import db
from talentpool.models import User
from talentpool.services import DomainError
from talentpool.services.accounts import validate_password
from tests.factories import PASSWORD


def test_lockout_after_repeated_failures_and_unlock_by_coordinator(app, client, factory, login):
    officer = factory.officer("032018")
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        client.post("/login", data={"email": officer.email, "password": "wrong-password"})
    # Even the right password is refused now.
    locked = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert locked.status_code == 403 and "ロックされています" in locked.text

    # Another prefecture's coordinator cannot unlock; the officer's own coordinator can.
    login(factory.coordinator("20"))
    assert client.post(f"/accounts/users/{officer.id}/unlock").status_code == 404
    client.post("/logout")
    login(factory.coordinator("03"))
    page = client.get("/accounts/invitations")
    assert "ロック中" in page.text
    assert client.post(f"/accounts/users/{officer.id}/unlock").status_code == 302
    client.post("/logout")
    response = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, officer.id).failed_login_count == 0


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "10文字以上"),
        ("password123", "よく使われる"),
        ("aaaaaaaaaaaa", "よく使われる"),
        ("xx-hanako-xx-2025", "メールアドレス"),
    ],
)
def test_password_rules(app, password, reason):
    with app.test_request_context(), pytest.raises(DomainError) as error:
        validate_password(password, "hanako@example.jp")
    assert reason in str(error.value.message)


def test_a_good_password_passes(app):
    with app.test_request_context():
        validate_password("みちのく-DX-2025-go", "hanako@example.jp")


def _limited_app(make_app, storage="memory://"):
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
        LOGIN_LIMIT_PER_IP="5 per minute",
        LOCKOUT_THRESHOLD=100,
    )


def _throttle_checks(limited):
    def attempt(email, address):
        return limited.test_client().post(
            "/login",
            data={"email": email, "password": "x" * 10},
            environ_base={"REMOTE_ADDR": address},
        )

    # Per account: the 4th attempt on one account within a minute is refused, from anywhere.
    codes = [attempt("a@example.jp", f"192.0.2.{n}").status_code for n in range(1, 5)]
    assert codes == [401, 401, 401, 429]
    refused = attempt("a@example.jp", "192.0.2.9")
    assert refused.status_code == 429 and "操作が多すぎます" in refused.text
    # Per IP: five different accounts from one address, then the sixth is refused.
    codes = [attempt(f"user{n}@example.jp", "198.51.100.7").status_code for n in range(6)]
    assert codes == [401] * 5 + [429]
    assert attempt("fresh@example.jp", "198.51.100.8").status_code == 401
    # Showing the form is never throttled.
    assert (
        limited.test_client()
        .get("/login", environ_base={"REMOTE_ADDR": "198.51.100.7"})
        .status_code
        == 200
    )


def test_login_throttling_in_memory(make_app):
    _throttle_checks(_limited_app(make_app))


def test_login_throttling_with_redis(make_app):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=1)
        connection.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    try:
        _throttle_checks(_limited_app(make_app, url))
        assert any(key.startswith(b"LIMITS") for key in connection.keys("*"))
    finally:
        connection.flushdb()
        connection.close()


def test_csrf_is_enforced_on_state_changing_requests(make_app):
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    response = client.post("/login", data={"email": "x@example.jp", "password": "y" * 10})
    assert response.status_code == 400 and "入力内容に誤りがあります" in response.text
    assert client.post("/language", data={"lang": "en"}).status_code == 400
    # With the token from the form, the same post goes through to the password check.
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": "x@example.jp", "password": "y" * 10, "csrf_token": token}
    )
    assert response.status_code == 401
