"""Login throttling (back-off per address, limits per IP and per account), the same answer and
the same work for addresses with and without an account, password rules, CSRF, Redis down,
reverse proxies."""

import logging
import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from talentpool.extensions import db
from talentpool.models import AuditEvent, LoginThrottle, OutboxMessage, utcnow
from talentpool.services import DomainError
from talentpool.services.accounts.login_throttle import Backoff, key_for
from talentpool.services.accounts.users import validate_password
from tests.factories import PASSWORD

LOCKED = "ログインを一時的に止めています"
WRONG = "メールアドレスまたはパスワードが正しくありません"


def _flash(response) -> str:
    """The page's messages with the address typed in left out: what tells the user anything."""
    return " ".join(re.findall(r'<p class="flash flash--\w+">(.*?)</p>', response.text))


def _expire_wait(app, email: str) -> None:
    """Time passes: the address's wait is over."""
    with app.app_context():
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key_for(email))
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def _mails_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email)
        ).all()


def test_back_off_doubles_up_to_a_ceiling():
    backoff = Backoff(free_attempts=5, base_seconds=30, max_seconds=900)
    waits = [backoff.wait_after(n) for n in range(1, 13)]
    assert waits == [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert backoff.wait_after(10_000) == 900


def test_failures_slow_an_address_down_the_same_way_whether_it_has_an_account_or_not(
    app, client, factory
):
    """Ten wrong passwords used to lock an account for good with a 403 of its own, telling an
    attacker the address exists; now any address waits a while, with the same answers."""
    officer = factory.officer("032018")
    free = app.config["LOGIN_FREE_ATTEMPTS"]

    def attempts(email: str, password: str = "wrong-password-1") -> list[tuple[int, str]]:
        return [
            (response.status_code, _flash(response))
            for response in (
                client.post("/login", data={"email": email, "password": password})
                for _ in range(free + 2)
            )
        ]

    known = attempts(officer.email)
    unknown = attempts("nobody-here@example.jp")
    assert known == unknown
    assert [status for status, _text in known] == [401] * (free + 1) + [429]
    assert WRONG in known[0][1] and LOCKED in known[-1][1]
    # Waiting, even the right password is turned away; once the wait is over it works.
    refused = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert refused.status_code == 429 and LOCKED in refused.text
    _expire_wait(app, officer.email)
    assert client.post("/login", data={"email": officer.email, "password": PASSWORD}).status_code
    with app.app_context():  # a successful login forgets the failures
        assert db.session.get(LoginThrottle, key_for(officer.email)) is None
    # The owner was told once, when the waiting began, with the way to reset the password.
    (notice,) = _mails_to(app, officer.email)
    assert "ログインの失敗が続いています" in notice.subject
    assert "/password/forgot" in notice.body_text


def test_the_wait_grows_but_ends(app, client, factory):
    officer = factory.officer("032018")
    free = app.config["LOGIN_FREE_ATTEMPTS"]
    for _ in range(free + 1):
        client.post("/login", data={"email": officer.email, "password": "wrong-password-1"})
    waits = []
    for _ in range(3):
        with app.app_context():
            row = db.session.get(LoginThrottle, key_for(officer.email))
            waits.append(round((row.locked_until - row.last_failure_at).total_seconds()))
        _expire_wait(app, officer.email)
        client.post("/login", data={"email": officer.email, "password": "wrong-password-1"})
    assert waits == [30, 60, 120]
    _expire_wait(app, officer.email)
    assert client.post("/login", data={"email": officer.email, "password": PASSWORD}).status_code


def test_unlock_by_the_coordinator_is_kept_and_audited(app, client, factory, login):
    officer = factory.officer("032018")
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"] + 1):
        client.post("/login", data={"email": officer.email, "password": "wrong-password-1"})
    assert (
        client.post("/login", data={"email": officer.email, "password": PASSWORD}).status_code
        == 429
    )
    # Another prefecture's coordinator cannot unlock; the officer's own coordinator can.
    login(factory.coordinator("20"))
    assert client.post(f"/accounts/users/{officer.id}/unlock").status_code == 404
    client.post("/logout")
    coordinator = factory.coordinator("03")
    login(coordinator)
    assert "ロック中" in client.get("/accounts/invitations").text
    assert client.post(f"/accounts/users/{officer.id}/unlock").status_code == 302
    assert "ロック中" not in client.get("/accounts/invitations").text
    client.post("/logout")
    response = client.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.entity == "user_account",
                AuditEvent.entity_id == str(officer.id),
                AuditEvent.action == "update",
            )
        )
        assert event.actor_id == coordinator.id and event.changes == {
            "login": ["locked", "unlocked"]
        }


def _median_login_seconds(client, email: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "wrong-password-1"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 401
    return statistics.median(times)


def test_a_login_takes_as_long_for_an_unknown_address(app, client, factory, monkeypatch):
    """~242 ms for an existing address and ~18 ms for an unknown one gave accounts away: an
    unknown address now has a password hash checked too (a slow hash makes it measurable)."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:300000")
    officer = factory.officer("032018")  # its hash is made with the slow method
    client.post("/login", data={"email": "warm-up@example.jp", "password": "x"})
    known = _median_login_seconds(client, officer.email)
    unknown = _median_login_seconds(client, "nobody-here@example.jp")
    assert unknown > 0.6 * known, f"known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "10文字以上"),
        ("password123", "よく使われる"),
        ("Password12345", "よく使われる"),
        ("qwertyuiop12", "推測されやすい"),
        ("aaaaaaaaaaaa", "繰り返し"),
        ("パスワードパスワード", "繰り返し"),
        ("あいうえおかきくけこ", "連続した文字"),
        ("talentpool2025!", "推測されやすい"),
        ("xx-hanako-xx-2025", "メールアドレス"),
    ],
)
def test_password_rules(app, password, reason):
    with app.test_request_context(), pytest.raises(DomainError) as error:
        validate_password(password, "hanako@example.jp")
    assert reason in str(error.value.message)


@pytest.mark.parametrize("password", ["みちのく-DX-2025-go", "盛岡の朝は冷える2025", PASSWORD])
def test_a_good_password_passes(app, password):
    with app.test_request_context():
        validate_password(password, "hanako@example.jp")


def _limited_app(make_app, storage="memory://", **config):
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
        "LOGIN_LIMIT_PER_IP": "5 per minute",
        "LOGIN_FREE_ATTEMPTS": 100,
    }
    return make_app(**(settings | config))


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
        limited = _limited_app(make_app, url)
        _throttle_checks(limited)
        assert any(key.startswith(b"LIMITS") for key in connection.keys("*"))
        health = limited.test_client().get("/healthz")
        assert health.status_code == 200 and health.json["rate_limit_storage"] == "ok"
    finally:
        connection.flushdb()
        connection.close()


def test_redis_down_falls_back_to_per_process_limits(make_app, caplog):
    """Redis unreachable used to answer every login POST with a 500 while /healthz said ok."""
    limited = _limited_app(make_app, "redis://127.0.0.1:1/14")  # nothing listens on port 1
    with caplog.at_level(logging.WARNING):
        _throttle_checks(limited)
    assert "falling back to in-memory storage" in caplog.text
    health = limited.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.json == {
        "status": "degraded",
        "database": "ok",
        "rate_limit_storage": "unreachable",
    }


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_each_client_has_its_own_budget(make_app, proxies):
    """Behind nginx every user came from the proxy's address and shared one login budget."""
    limited = _limited_app(make_app, TRUSTED_PROXY_COUNT=proxies, LOGIN_LIMIT_PER_IP="2 per minute")

    def attempt(n: int, client_address: str):
        return limited.test_client().post(
            "/login",
            data={"email": f"proxy{n}@example.jp", "password": "x" * 10},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy
            headers={"X-Forwarded-For": client_address},
        )

    first = [attempt(n, "203.0.113.1").status_code for n in range(3)]
    second = attempt(9, "203.0.113.2").status_code
    assert first == [401, 401, 429]
    # Trusting the proxy, another client has its own budget; not trusting it, a forged
    # X-Forwarded-For buys nothing.
    assert second == (401 if proxies else 429)


def test_strict_transport_security_in_production_only(make_app, client):
    production = make_app(ENV_NAME="production")
    header = production.test_client().get("/login").headers.get("Strict-Transport-Security")
    assert header and "max-age=63072000" in header
    assert "Strict-Transport-Security" not in client.get("/login").headers


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
