"""Logging in and out; sessions end for good on logout."""

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import LoginThrottle, User
from talentpool.services.accounts.login_throttle import key_for
from tests.factories import PASSWORD


def test_login_shows_role_navigation_and_logout_invalidates_cookie(app, client, factory):
    user = factory.coordinator("03")
    page = client.get("/login")
    assert page.status_code == 200 and "ログイン" in page.text
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/")
    assert "岩手県の都道府県担当者" in home.text
    assert "招待・アカウント" in home.text  # the coordinator's menu
    stolen = client.get_cookie("session").value

    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302  # logged out
    # Replaying the cookie captured before logout no longer logs anyone in.
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_message(app, client, factory):
    user = factory.officer("032018")
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 401
    assert "メールアドレスまたはパスワードが正しくありません" in response.text
    with app.app_context():
        assert db.session.get(LoginThrottle, key_for(user.email)).failures == 1
    assert client.get("/").status_code == 302


def test_disabled_user_cannot_log_in(app, client, factory):
    user = factory.admin()
    with app.app_context():
        db.session.get(User, user.id).is_enabled = False
        db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


#: `next` values that would leave the site once a browser reads them (it drops tabs and line
#: breaks and reads a backslash as a slash), or that cannot be a Location header at all.
OFF_SITE = [
    "//evil.example.com/x",
    "/%09/evil.example/",  # was followed: the browser went to //evil.example/
    "/%0a/evil.example/",
    "/%0d%0a/evil.example/",  # was a 500 after a successful password check
    "/%5Cevil.example/",
    "%5C%5Cevil.example/",
    "/%E3%80%80/x%0d%0aSet-Cookie:%20a=b",
    "https://evil.example/",
    "javascript:alert(1)",
    "%09/evil.example/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_is_followed_only_within_the_site(client, factory, target):
    user = factory.admin()
    response = client.post(
        f"/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.location == "/"
    response = client.post("/language", data={"lang": "ja", "next": unquote(target)})
    assert response.status_code == 302 and response.location == "/"


def test_next_within_the_site_is_followed(client, factory):
    user = factory.admin()
    response = client.post(
        "/login?next=/accounts/invitations?x=1", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/accounts/invitations?x=1"
    response = client.post("/language", data={"lang": "en", "next": "/pool/?q=%E5%B1%B1"})
    assert response.location == "/pool/?q=%E5%B1%B1"


def test_each_role_sees_its_own_menu(factory, login, client):
    officer = factory.officer("032051")
    home = login(officer).get("/").text
    assert "花巻市" in home
    assert "招待・アカウント" not in home


def test_password_hashes_use_a_kdf(app, factory):
    user = factory.admin()
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith(("pbkdf2:", "scrypt:")) and PASSWORD not in stored
