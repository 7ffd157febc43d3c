"""Browser tests: the app served by gunicorn on a free port with a fresh database, driven by
Playwright in Debian's Chromium. Skipped with one line when Chromium or Playwright is absent."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The README's screenshots are refreshed with `UPDATE_SCREENSHOTS=1 make test-browser`;
#: otherwise they go to a temporary folder so a test run leaves the tree clean.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(os.environ.get("TMPDIR", "/tmp")) / "talentpool-screenshots"
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEMO_PASSWORD = "browser-demo-2025"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@pytest.fixture(scope="session")
def live_database(tmp_path_factory) -> Path:
    """The SQLite file the live server uses (tests may read it to know what is data)."""
    return tmp_path_factory.mktemp("live") / "live.db"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, live_database):
    """Base URL of a gunicorn-served app on a fresh SQLite database with the demo data."""
    if not Path(CHROMIUM).exists():
        pytest.skip("browser tests need Chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    db_path = live_database
    env = os.environ | {
        "TALENTPOOL_ENV": "demo",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "RATELIMIT_ENABLED": "false",
    }
    for command in (["migrate"], ["seed-reference"], ["seed-demo", "--password", DEMO_PASSWORD]):
        subprocess.run(
            [_bin("talentpool"), *command], env=env, check=True, cwd=ROOT, capture_output=True
        )
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.getbasetemp() / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [_bin("gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        env=env | {"BASE_URL": base_url},  # links in mail and copy fields point here
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start; see gunicorn.log")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    external: list[str] = []
    context.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith((live_server, "data:"))
            else None
        ),
    )
    page = context.new_page()
    yield page
    context.close()
    assert external == [], f"pages requested external hosts: {external}"


@pytest.fixture
def no_js_page(browser, live_server):
    """A Japanese page with JavaScript off, as the forms must work without it."""
    context = browser.new_context(
        base_url=live_server,
        locale="ja-JP",
        java_script_enabled=False,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()


def logout(page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/login")


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
