"""PostgreSQL goes away (a proxy in front of it is cut): every page answers a Japanese 503
with Retry-After, logged in or not; a change saved just before the cut is reported as saved,
and saved once; the app carries on by itself when the database is back."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from talentpool import create_app
from talentpool.config import overrides_for_tests
from talentpool.extensions import db
from talentpool.models import Role, Talent
from talentpool.services.reference import seed_reference
from tests.access_rules import RULES
from tests.factories import PASSWORD, Factory
from tests.faults import TcpProxy
from tests.test_access_matrix import LITERAL_ARGUMENTS

UNAVAILABLE = "ただいま利用できません"


@pytest.fixture(scope="module")
def outage():
    """(app, proxy, factory): an app on its own PostgreSQL database, reached through a proxy
    the test can cut; real commits, sessions as in production."""
    from tests.conftest import _postgres_database

    databases = _postgres_database()  # skips (one line) without TEST_DATABASE_URL
    url = next(databases)
    proxy, through = TcpProxy.in_front_of(url)
    app = create_app(overrides_for_tests(through))
    with app.app_context():
        db.create_all()
        seed_reference()
        db.session.commit()
    yield app, proxy, Factory(app)
    proxy.close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.close()


def _logged_in(app, user, lang: str | None = None):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    if lang:
        client.post("/language", data={"lang": lang})
    return client


def _page_urls(app) -> list[str]:
    """Every GET page, its id arguments filled with 1 (they fail before any lookup)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        assert rule.endpoint in RULES
        values = {arg: LITERAL_ARGUMENTS.get(arg, 1) for arg in rule.arguments}
        urls.append(rule.build(values)[1])
    return sorted(urls)


def test_every_page_answers_503_in_japanese_while_postgresql_is_down(outage):
    app, proxy, factory = outage
    users = [
        factory.admin(),
        factory.coordinator("03"),
        factory.officer("032018"),
        factory.talent_user("03")[0],
    ]
    clients = {user.role: _logged_in(app, user) for user in users}
    english = _logged_in(app, users[1], lang="en")
    anonymous = app.test_client()
    urls = _page_urls(app)
    assert len(urls) >= 60
    proxy.cut()
    try:
        for role, client in clients.items():
            for url in urls:
                response = client.get(url)
                assert response.status_code == 503, f"{role} {url}: {response.status_code}"
                if url == "/healthz":
                    continue  # the load balancer's JSON
                assert UNAVAILABLE in response.text, f"{role} {url}"
                assert "データベースに接続できない" in response.text
                assert response.headers["Retry-After"] == "30"
                assert response.headers["Content-Security-Policy"]
        for url in urls:
            response = anonymous.get(url)
            # Pages that need no database still work (the login page); the rest say why.
            assert response.status_code in (200, 302, 404, 503), f"anonymous {url}"
            if response.status_code == 503 and url != "/healthz":
                assert UNAVAILABLE in response.text
        assert (
            anonymous.post(
                "/login", data={"email": users[0].email, "password": PASSWORD}
            ).status_code
            == 503
        )
        page = english.get("/pool/")
        assert page.status_code == 503 and "Temporarily unavailable" in page.text
        assert 'lang="en"' in page.text
    finally:
        proxy.restore()
    # Back by itself: no restart, the same logged-in client carries on.
    assert clients[Role.coordinator].get("/pool/").status_code == 200


@contextmanager
def _gone_after_the_commit(proxy):
    """The database goes away right after the next commit succeeds (back at the end)."""

    def cut(_session):
        proxy.cut()

    event.listen(Session, "after_commit", cut, once=True)
    try:
        yield
    finally:
        if event.contains(Session, "after_commit", cut):
            event.remove(Session, "after_commit", cut)
        proxy.restore()


def _talent_form(**changes) -> dict:
    form = {
        "name": "障害 花子",
        "name_kana": "しょうがい はなこ",
        "kind": "external",
        "available_hours_per_month": "20",
        "work_style": "remote",
        "skills": ["cloud"],
    }
    form.update(changes)
    return form


def test_a_change_saved_just_before_the_database_goes_is_reported_as_saved(outage):
    app, proxy, factory = outage
    coordinator = factory.coordinator("03")
    talent = factory.talent("03", name="編集 前")
    client = _logged_in(app, coordinator)
    with _gone_after_the_commit(proxy):
        edited = client.post(f"/pool/{talent.id}/edit", data=_talent_form(name="編集 後"))
    assert edited.status_code == 302, edited.text[:300]
    assert edited.headers["Location"] == f"/pool/{talent.id}"
    with app.app_context():
        assert db.session.get(Talent, talent.id).name == "編集 後"

    # A new profile: the answer names it without asking the database, so nobody retries.
    with _gone_after_the_commit(proxy):
        created = client.post("/pool/new", data=_talent_form(name="新規 一郎"))
    assert created.status_code == 302, created.text[:300]
    new_id = int(re.search(r"/pool/(\d+)$", created.headers["Location"]).group(1))
    with app.app_context():
        named = db.session.scalars(select(Talent.id).where(Talent.name == "新規 一郎")).all()
        assert named == [new_id]
        assert db.session.scalar(select(func.count()).select_from(Talent)) >= 2
