"""The page cache answers a repeated page from memory, and never once the data, the user, the
session, the language or the day it was rendered for has changed.

These tests commit for real (the rolled-back `db` fixture never commits, so its pages are
never kept): each backend gets a database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text

from talentpool import create_app
from talentpool.config import overrides_for_tests
from talentpool.extensions import db
from talentpool.models import Role
from talentpool.versioning import data_version, track_writes, writes
from talentpool.web.page_cache import PageCache
from tests.conftest import _postgres_database
from tests.factories import PASSWORD, Factory


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def real_uri(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('page_cache') / 'pages.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="module")
def cached_app(real_uri):
    from talentpool.services.reference import seed_reference

    app = create_app(overrides_for_tests(real_uri))
    with app.app_context():
        db.create_all()
        seed_reference()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pages(cached_app) -> Iterator[PageCache]:
    cache = cached_app.extensions["page_cache"]
    cache.clear()
    cache.hits = cache.misses = 0
    yield cache
    cached_app.config["TODAY"] = None


@pytest.fixture
def made(cached_app) -> Factory:
    return Factory(cached_app)


def commit_elsewhere(app, statement: str, params: dict) -> None:
    """Commit a write on a connection of its own, as another app server or the CLI would."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    track_writes(engine)
    with engine.begin() as connection:
        connection.execute(text(statement), params)
    engine.dispose()


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_repeated_page_comes_from_the_cache(cached_app, pages, made):
    coordinator = made.coordinator("03")
    made.request(title="窓口の予約をオンラインにしたい")
    client = signed_in(cached_app, coordinator)
    first = client.get("/requests/")
    second = client.get("/requests/")
    assert first.status_code == second.status_code == 200
    assert (pages.misses, pages.hits) == (1, 1)
    assert second.data == first.data
    assert "窓口の予約をオンラインにしたい" in second.get_data(as_text=True)
    # The headers every answer gets are there on a kept page too.
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_commit_anywhere_shows_on_the_next_page(cached_app, pages, made):
    coordinator = made.coordinator("03")
    client = signed_in(cached_app, coordinator)
    assert "河川の水位を地図で見せたい" not in client.get("/requests/").get_data(as_text=True)
    made.request(title="河川の水位を地図で見せたい")  # another session commits
    assert "河川の水位を地図で見せたい" in client.get("/requests/").get_data(as_text=True)

    # A write by another program on its own connection (another app server, the CLI).
    item = made.request(title="防災メールを多言語で")
    assert "防災メールを多言語で" in client.get("/requests/").get_data(as_text=True)
    commit_elsewhere(
        cached_app,
        "UPDATE support_request SET title = 'ごみ収集の日程をアプリで' WHERE id = :id",
        {"id": item.id},
    )
    page = client.get("/requests/").get_data(as_text=True)
    assert "ごみ収集の日程をアプリで" in page
    assert "防災メールを多言語で" not in page


def test_only_a_commit_that_wrote_raises_the_version(cached_app, made):
    made.coordinator("03")
    with cached_app.app_context():
        before = data_version()
        db.session.execute(text("UPDATE support_request SET title = title || 'x'"))
        db.session.rollback()
        assert data_version() == before
        db.session.execute(text("SELECT count(*) FROM support_request"))
        db.session.commit()
        assert data_version() == before
        db.session.execute(text("UPDATE user_account SET name = name"))
        db.session.commit()
        assert data_version() == before + 1


def test_users_and_logins_never_share_a_page(cached_app, pages, made):
    iwate = made.coordinator("03")
    tokyo = made.coordinator("13")
    made.request("032018", title="岩手の依頼")
    made.request("131016", title="東京の依頼")
    # (Each login writes, so every page kept before it is stale: log in first.)
    first = signed_in(cached_app, iwate)
    other = signed_in(cached_app, tokyo)
    again = signed_in(cached_app, iwate)  # the same person in a second browser
    for _ in range(2):
        assert "岩手の依頼" in first.get("/requests/").get_data(as_text=True)
        page = other.get("/requests/").get_data(as_text=True)
        assert "東京の依頼" in page and "岩手の依頼" not in page
        # Its own page, with that browser's form tokens, not the first browser's.
        assert "岩手の依頼" in again.get("/requests/").get_data(as_text=True)
    assert (pages.misses, pages.hits) == (3, 3)


def test_language_and_day_are_part_of_the_key(cached_app, pages, made):
    coordinator = made.coordinator("03")
    made.request(title="年度末で終わる依頼", end_date=date(2027, 3, 31))
    client = signed_in(cached_app, coordinator)
    cached_app.config["TODAY"] = date(2027, 3, 31)
    assert "年度末で終わる依頼" in client.get("/requests/?state=open").get_data(as_text=True)
    client.get("/requests/?state=open")
    assert pages.hits == 1
    # Tomorrow the request is past its end date: the open list no longer shows it.
    cached_app.config["TODAY"] = date(2027, 3, 31) + timedelta(days=1)
    assert "年度末で終わる依頼" not in client.get("/requests/?state=open").get_data(as_text=True)
    # English mode is English, not yesterday's Japanese page.
    client.post("/language", data={"lang": "en", "next": "/requests/"})
    assert "Support requests" in client.get("/requests/").get_data(as_text=True)


def test_a_waiting_message_is_shown_once_and_never_kept(cached_app, pages, made):
    coordinator = made.coordinator("03")
    client = signed_in(cached_app, coordinator)
    client.get("/requests/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "テストの知らせ")]
    assert "テストの知らせ" in client.get("/requests/").get_data(as_text=True)
    assert "テストの知らせ" not in client.get("/requests/").get_data(as_text=True)


def test_a_page_that_wrote_is_not_kept(cached_app, pages, made):
    coordinator = made.coordinator("03")
    talent_user, talent = made.talent_user("03")
    item = made.request(title="返事を待つ依頼")
    cached_app.config["TODAY"] = date(2027, 5, 1)
    made.offer(coordinator, item, talent, reply_by=date(2027, 5, 3))
    client = signed_in(cached_app, coordinator)
    cached_app.config["TODAY"] = date(2027, 5, 4)  # the offer lapses when it is next shown
    version = _version(cached_app)
    assert client.get("/offers/").status_code == 200
    assert _version(cached_app) == version + 1
    assert len(pages) == 0
    client.get("/offers/")
    client.get("/offers/")
    assert (len(pages), pages.hits) == (1, 1)


def test_a_kept_page_expires(cached_app, pages, made):
    coordinator = made.coordinator("03")
    client = signed_in(cached_app, coordinator)
    moment = [1000.0]
    clock, pages.now = pages.now, lambda: moment[0]
    try:
        client.get("/")
        client.get("/")
        moment[0] += pages.seconds
        client.get("/")
    finally:
        pages.now = clock
    assert (pages.hits, pages.misses) == (1, 2)


def test_the_cache_can_be_turned_off(real_uri, made):
    app = create_app(overrides_for_tests(real_uri) | {"PAGE_CACHE_SECONDS": 0})
    coordinator = Factory(app).user(Role.coordinator, prefecture="03")
    client = signed_in(app, coordinator)
    client.get("/requests/")
    client.get("/requests/")
    pages = app.extensions["page_cache"]
    assert (len(pages), pages.hits) == (0, 0)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _version(app) -> int:
    with app.app_context():
        return data_version()


# --- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("SELECT * FROM talent", False),
        ("  select 1", False),
        ("SELECT id FROM support_request FOR UPDATE SKIP LOCKED", False),
        ("INSERT INTO talent (name) VALUES (?)", True),
        ("update offer SET state = 'lapsed'", True),
        ("DELETE FROM staged_upload", True),
        ("WITH x AS (SELECT 1) UPDATE talent SET name = 'a'", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
    ],
)
def test_which_statements_write(statement, expected):
    assert writes(statement) is expected


def test_the_oldest_pages_go_first_beyond_the_budget(cached_app):
    from flask import Response

    cache = PageCache(seconds=60, max_bytes=40)
    for name in "abc":
        cache.put((name,), Response(name * 10))
    assert cache.get(("a",)) is not None  # a is now the most recent
    cache.put(("d",), Response("d" * 10))  # 40 bytes: still fits
    cache.put(("e",), Response("e" * 10))  # b, the least recently used, goes
    assert cache.get(("b",)) is None
    assert [cache.get((n,)).get_data() for n in "acde"] == [n.encode() * 10 for n in "acde"]
    cache.put(("big",), Response("x" * 11))  # more than a quarter of the budget: never kept
    assert cache.get(("big",)) is None


def test_the_calendar_check_runs_again_after_a_commit_or_on_a_new_day(cached_app, pages, made):
    """A process skips looking for requests past their end date when it found none on the same
    day at the same data version; a commit since, or a new day, makes it look again."""
    coordinator = made.coordinator("03")
    client = signed_in(cached_app, coordinator)
    cached_app.config["TODAY"] = date(2027, 6, 10)
    client.get("/requests/")  # found nothing to move: noted for this day and version
    late = made.request(title="昨日で終わった依頼", end_date=date(2027, 6, 30))
    commit_elsewhere(
        cached_app,  # another server moves the end date back
        "UPDATE support_request SET end_date = :d WHERE id = :id",
        {"d": date(2027, 6, 9), "id": late.id},
    )
    ends_today = made.request(title="今日で終わる依頼", end_date=date(2027, 6, 10))
    client.get("/requests/")
    client.get("/requests/")  # nothing new: the check is skipped
    assert _states(cached_app, late, ends_today) == ["expired", "open"]
    cached_app.config["TODAY"] = date(2027, 6, 11)
    client.get("/requests/")
    assert _states(cached_app, late, ends_today) == ["expired", "expired"]


def _states(app, *items) -> list[str]:
    from talentpool.models import SupportRequest

    with app.app_context():
        return [db.session.get(SupportRequest, item.id).state for item in items]


def test_dashboard_figures_are_shared_until_a_commit(cached_app, pages, made, monkeypatch):
    """Two coordinators of one prefecture, and the CSV downloads, share one computation of the
    dashboard's figures for a year; a commit makes the next page compute them again."""
    from talentpool.services.reports import dashboard

    built = []
    original = dashboard.build
    monkeypatch.setattr(dashboard, "build", lambda *key: built.append(key) or original(*key))
    first = signed_in(cached_app, made.coordinator("03"))
    second = signed_in(cached_app, made.coordinator("03"))
    other = signed_in(cached_app, made.coordinator("13"))
    assert first.get("/reports/").status_code == 200
    assert second.get("/reports/").status_code == 200
    assert second.get("/reports/dashboard/municipalities.csv").status_code == 200
    assert len(built) == 1
    assert other.get("/reports/").status_code == 200  # another prefecture: its own figures
    assert len(built) == 2 and built[0][0] != built[1][0]
    made.request(title="新しい依頼")
    assert first.get("/reports/").status_code == 200
    assert len(built) == 3


def test_plan_checks_are_kept_until_a_commit(cached_app, pages, made):
    """The plan page's checks (rules broken since the plan was computed) are computed once
    for all its pages; a request closed by another connection shows on the next page."""
    coordinator = made.coordinator("03")
    made.talent_user("03", experience="窓口業務のデジタル化を支援した。")
    item = made.request(title="窓口をデジタル化したい", hours_per_month=10)
    client = signed_in(cached_app, coordinator)
    assert client.post("/matching/plan", data={"fairness": "y"}).status_code == 302
    page = client.get("/matching/plan").get_data(as_text=True)
    assert "窓口をデジタル化したい" in page
    assert "募集中ではなくなりました" not in page
    commit_elsewhere(
        cached_app,
        "UPDATE support_request SET state = 'closed' WHERE id = :id",
        {"id": item.id},
    )
    page = client.get("/matching/plan").get_data(as_text=True)
    assert "「窓口をデジタル化したい」は募集中ではなくなりました。" in page


def test_a_prepared_pool_is_reused_until_a_commit(cached_app, pages, made, monkeypatch):
    """The ranking page reuses the process's prepared pool (profiles and index) while the
    data version and the day are the same; someone made inactive elsewhere drops out."""
    from talentpool.services.matching import bridge

    built = []
    original = bridge.talent_profiles
    monkeypatch.setattr(
        bridge, "talent_profiles", lambda *a, **k: built.append(1) or original(*a, **k)
    )
    coordinator = made.coordinator("03")
    _, person = made.talent_user("03", name="鈴木 花子", experience="窓口のデジタル化を支援した。")
    item = made.request(title="窓口をデジタル化したい")
    client = signed_in(cached_app, coordinator)
    url = f"/matching/requests/{item.id}"
    assert "鈴木 花子" in client.get(url).get_data(as_text=True)
    assert "鈴木 花子" in client.get(url).get_data(as_text=True)
    assert len(built) == 1
    commit_elsewhere(
        cached_app,
        "UPDATE talent SET active = :no WHERE id = :id",
        {"no": False, "id": person.id},
    )
    assert "鈴木 花子" not in client.get(url).get_data(as_text=True)
    assert len(built) == 2
