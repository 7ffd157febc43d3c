"""The UI base: Japanese first, English on request, no external requests, error pages."""

import re

import pytest

from talentpool import create_app
from tests.factories import PASSWORD

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_pages_are_japanese_and_reference_no_external_host(client, factory, login):
    page = client.get("/login")
    assert '<html lang="ja">' in page.text and "ログイン" in page.text
    assert not EXTERNAL.search(page.text)
    login(factory.coordinator("03"))
    for url in ("/", "/accounts/invitations"):
        body = client.get(url).text
        assert not EXTERNAL.search(body), url
    with client.get("/static/css/app.css") as response:
        css = response.text
    assert "url(http" not in css and "@import" not in css


def test_english_switch(client, factory, login):
    login(factory.admin())
    response = client.post("/language", data={"lang": "en", "next": "/"}, follow_redirects=True)
    assert '<html lang="en">' in response.text
    assert "Digital Talent Pool" in response.text
    back = client.post("/language", data={"lang": "ja", "next": "/"}, follow_redirects=True)
    assert '<html lang="ja">' in back.text


def test_error_pages_are_japanese(client, factory, login):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "ページが見つかりません" in missing.text
    login(factory.officer())
    forbidden = client.get("/accounts/invitations")
    assert forbidden.status_code == 403 and "権限がありません" in forbidden.text


def test_healthz_and_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TALENTPOOL_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_language_chosen_before_login_survives_the_login(client, factory):
    user = factory.coordinator("03")
    client.post("/language", data={"lang": "en", "next": "/login"})
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True
    )
    assert '<html lang="en">' in response.text and "Home" in response.text
    logged_out = client.post("/logout", follow_redirects=True)
    assert '<html lang="en">' in logged_out.text


def test_navigation_names_only_endpoints_that_exist():
    """A menu entry whose view was renamed or removed stops the app from starting, instead
    of quietly vanishing from the menu."""
    from talentpool.config import overrides_for_tests
    from talentpool.models import Role
    from talentpool.web import nav

    app = create_app(overrides_for_tests("sqlite://"))  # builds: every entry exists
    assert {item.endpoint for item in nav.NAV} <= set(app.view_functions)
    stale = nav.NavItem("古い画面", "pool.renamed_view", (Role.coordinator,))
    with pytest.raises(RuntimeError, match="unknown endpoints: pool.renamed_view"):
        nav.check(app, (*nav.NAV, stale))
