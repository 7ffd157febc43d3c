"""Two app servers behind one address (PostgreSQL): two gunicorn processes, each with its own
disk, share one database and one Redis. An import previewed on one host is committed on the
other, and login throttling counts the attempts made on both."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import select

from talentpool import create_app
from talentpool.config import PROJECT_ROOT, overrides_for_tests
from talentpool.extensions import db
from talentpool.migrating import upgrade
from talentpool.models import Prefecture, Role, Talent
from talentpool.services.accounts.users import create_user
from talentpool.services.reference import seed_reference

REDIS = "redis://127.0.0.1:6379/14"
EMAIL, PASSWORD = "coordinator@example.jp", "two-hosts-password-2025"

HOST_APP = """
from talentpool import create_app

app = create_app({{
    "SQLALCHEMY_DATABASE_URI": {database!r},
    "SECRET_KEY": "shared-by-every-host",
    "SESSION_COOKIE_SECURE": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "RATELIMIT_STORAGE_URI": {redis!r},
    "RATELIMIT_KEY_PREFIX": {prefix!r},
    "LOGIN_LIMIT_PER_ACCOUNT": "4 per minute",
    "LOCKOUT_THRESHOLD": 100,
    # Each host its own disk, as on two machines (uploads no longer go there).
    "UPLOAD_DIR": {upload_dir!r},
}})
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """(database URL, [base URL of host A, of host B])."""
    from tests.conftest import _postgres_database

    databases = _postgres_database()  # skips without TEST_DATABASE_URL
    url = next(databases)
    _redis_or_skip()
    upgrade(url)
    setup = create_app(overrides_for_tests(url))
    with setup.app_context():
        seed_reference()
        iwate = db.session.scalar(select(Prefecture.id).where(Prefecture.code == "03"))
        create_user(
            email=EMAIL, name="岩手 担当", role=Role.coordinator, password=PASSWORD,
            prefecture_id=iwate,
        )  # fmt: skip
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    prefix = f"two-hosts-{uuid.uuid4().hex[:8]}"
    processes, bases = [], []
    for name in ("host_a", "host_b"):
        folder = tmp_path_factory.mktemp(name)
        (folder / f"{name}.py").write_text(
            HOST_APP.format(
                database=url, redis=REDIS, prefix=prefix, upload_dir=str(folder / "uploads")
            ),
            encoding="utf-8",
        )
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                 f"127.0.0.1:{port}", f"{name}:app"],
                cwd=folder,
                env={"PYTHONPATH": f"{folder}:{PROJECT_ROOT}", "PATH": "/usr/bin:/bin"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            _wait_for(base)
        yield url, bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        databases.close()


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{base} did not start")


class Browser:
    """One person's browser: cookies shared by both hosts (one address, one cookie jar)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        try:
            with self.opener.open(
                urllib.request.Request(url, data=data, headers=headers or {}), timeout=30
            ) as response:
                return response.status, response.read().decode("utf-8"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8"), error.headers

    def form(self, url: str, fields: dict[str, str]):
        body = urllib.parse.urlencode(fields).encode()
        return self.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, url: str, fields: dict[str, str], filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_preview_on_one_host_commit_on_the_other(hosts):
    url, (host_a, host_b) = hosts
    browser = Browser()
    _status, page, _headers = browser.request(host_a + "/login")
    status, _page, _headers = browser.form(
        host_a + "/login", {"csrf_token": _csrf(page), "email": EMAIL, "password": PASSWORD}
    )
    assert status == 302
    _status, page, _headers = browser.request(host_a + "/pool/import")
    csv = (
        "external_id,name,kind,prefecture_code,skills,available_hours_per_month,work_style\r\n"
        "H-1,二台 目子,external,03,cloud,10,remote\r\n"
    ).encode()
    status, preview, _headers = browser.upload(
        host_a + "/pool/import", {"csrf_token": _csrf(page)}, "人材.csv", csv
    )
    assert status == 200, preview[:500]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview).group(1)
    status, _page, headers = browser.form(
        host_b + "/pool/import/commit", {"csrf_token": _csrf(preview), "token": token}
    )
    assert status == 302 and headers["Location"].endswith("/pool/"), _page[:500]
    _status, listing, _headers = browser.request(host_b + "/pool/")
    assert "取り込みました: 新規 1件" in listing and "二台 目子" in listing
    check = create_app(overrides_for_tests(url))
    with check.app_context():
        assert db.session.scalars(select(Talent.name)).all() == ["二台 目子"]
        db.session.remove()
        db.engine.dispose()


def test_login_throttling_counts_attempts_on_both_hosts(hosts):
    _url, (host_a, host_b) = hosts
    codes = []
    for base in (host_a, host_b, host_a, host_b, host_a):
        browser = Browser()  # a fresh browser each time, as an attacker would use
        _status, page, _headers = browser.request(base + "/login")
        status, _page, _headers = browser.form(
            base + "/login",
            {"csrf_token": _csrf(page), "email": "victim@example.jp", "password": "x" * 12},
        )
        codes.append(status)
    # 4 per minute for one account, whichever host was asked: the 5th is refused.
    assert codes == [401, 401, 401, 401, 429]
