"""Shared fixtures: one app per database backend, each test in a rolled-back transaction.

The suite runs on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set (each run
creates and drops its own database there). Tests in tests/unit/ use none of this.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from talentpool import create_app
from talentpool.config import overrides_for_tests
from talentpool.extensions import db as _db
from tests import commit_guard

pytest_plugins = ["tests.factories"]


TRANSLATIONS = Path(__file__).resolve().parents[1] / "talentpool" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """Compile each catalogue whose .mo is missing or older than its .po (what `make
    translations` does), so a plain `pytest` on a fresh checkout serves English too."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parents[1].name)
        # Written aside and renamed, so a server started by another test run never reads
        # half a file.
        aside = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with aside.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=True)
        os.replace(aside, mo)


def _postgres_database() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (skipped on SQLite-only machines)")
    url = make_url(
        base.replace("postgresql://", "postgresql+psycopg://", 1)
        if base.startswith("postgresql://")
        else base
    )
    name = f"talentpool_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_uri(request, tmp_path_factory) -> Iterator[str]:
    """A fresh, empty database per backend for the whole session."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def app(database_uri):
    """The app on a database with the schema and the real reference data."""
    from talentpool.services.reference import seed_reference

    app = create_app(overrides_for_tests(database_uri))
    with app.app_context():
        _db.create_all()
        seed_reference()
        _db.session.commit()
        commit_guard.install(app, _db.engine)
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="module")
def pg_app():
    """An app on a throwaway PostgreSQL database with real commits, for tests that race two
    connections (the rolled-back `db` fixture cannot); 岩手県 and 盛岡市 are there."""
    from talentpool.models import Municipality, Prefecture

    database = _postgres_database()  # skips (one line) when TEST_DATABASE_URL is unset
    app = create_app(overrides_for_tests(next(database)))
    with app.app_context():
        _db.create_all()
        prefecture = Prefecture(code="03", lg_code="030007", name="岩手県", name_kana="いわてけん")
        _db.session.add(prefecture)
        _db.session.flush()
        _db.session.add(
            Municipality(
                lg_code="032018",
                prefecture_id=prefecture.id,
                name="盛岡市",
                name_kana="もりおかし",
                kind="city",
            )
        )
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    database.close()


@pytest.fixture
def db(app):
    """Run the test inside a transaction that is rolled back afterwards.

    Every session (test code and each request) binds to one connection and turns its
    commits into savepoints, so views commit as usual and nothing survives the test.
    Hold no app context across requests: Flask would reuse it and leak `g` between them.
    """
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
    # Flask-SQLAlchemy's Session routes every query by the app's engine map (it ignores a
    # session-level bind), so the map itself points at the test's connection meanwhile.
    engines = _db._app_engines[app]
    engine = engines[None]
    engines[None] = connection
    original = _db.session
    _db.session = _db._make_scoped_session(
        {"join_transaction_mode": "create_savepoint", "expire_on_commit": False}
    )
    try:
        yield _db
    finally:
        with app.app_context():
            _db.session.remove()
        _db.session = original
        engines[None] = engine
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def no_queries_after_commit():
    """Fails a test in which a view redirected after its commit but queried once more."""
    commit_guard.violations.clear()
    yield
    assert not commit_guard.violations, (
        "views that query after their commit (take what the answer needs before it): "
        f"{commit_guard.violations}"
    )


@pytest.fixture
def make_app(database_uri, app):
    """make_app(**config) builds another app on the session database (e.g. CSRF on);
    its connections are closed afterwards."""
    from talentpool.extensions import limiter

    made = []
    enabled = limiter.enabled  # the limiter is one object: the last app made sets it

    def _make(**config):
        other = create_app(overrides_for_tests(database_uri) | config)
        made.append(other)
        return other

    yield _make
    limiter.enabled = enabled
    for other in made:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


class Clock:
    """The app's "today", set by a test (see talentpool.services.clock)."""

    def __init__(self, app):
        self.app = app

    def set(self, day) -> None:
        self.app.config["TODAY"] = day

    def advance(self, days: int) -> None:
        from datetime import timedelta

        from talentpool.services.clock import real_today

        self.set((self.app.config["TODAY"] or real_today()) + timedelta(days=days))


@pytest.fixture
def clock(app):
    """clock.set(date) / clock.advance(days) move the app's today; reset after the test."""
    yield Clock(app)
    app.config["TODAY"] = None
