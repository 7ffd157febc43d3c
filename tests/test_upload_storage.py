"""Staged uploads live in the database: a full store answers 507, one that refuses writes 503,
each with a message that says what happened, and nothing is left behind."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select, text

from talentpool import create_app
from talentpool.config import overrides_for_tests
from talentpool.extensions import db
from talentpool.models import StagedUpload, Talent
from talentpool.services.reference import seed_reference
from tests.badinput import row_counts
from tests.factories import PASSWORD, Factory

HEADER = "external_id,name,kind,prefecture_code,skills,available_hours_per_month,work_style\r\n"


def _upload(client, data: bytes):
    return client.post(
        "/pool/import",
        data={"file": (io.BytesIO(data), "人材.csv")},
        content_type="multipart/form-data",
    )


def _big_file() -> bytes:
    """About 250 KB: more pages than a full store has free (and below the size at which the
    test client spools the request body to a temporary file)."""
    rows = [f"S-{n},保存 {n}号,external,03,cloud,10,remote\r\n" for n in range(5_000)]
    return (HEADER + "".join(rows)).encode("utf-8")


@pytest.fixture
def own_app(database_uri, tmp_path):
    """An app on a database of its own (real commits: a full SQLite store rolls back the
    whole transaction, which the suite's rolled-back test transaction cannot show)."""
    from tests.conftest import _postgres_database

    databases = None
    if database_uri.startswith("sqlite"):
        uri = f"sqlite:///{tmp_path / 'own.db'}"
    else:
        databases = _postgres_database()
        uri = next(databases)
    app = create_app(overrides_for_tests(uri))
    with app.app_context():
        db.create_all()
        seed_reference()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if databases is not None:
        databases.close()


@contextmanager
def _fault(app, kind: str):
    """The store is full ("full") or refuses writes ("readonly") meanwhile."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            pages = db.session.execute(text("PRAGMA page_count")).scalar()
            db.session.remove()
            pragma = (
                f"PRAGMA max_page_count = {pages}" if kind == "full" else "PRAGMA query_only = ON"
            )

            def limit(dbapi_connection, _record):
                dbapi_connection.execute(pragma)

            event.listen(engine, "connect", limit)
            engine.dispose()
            try:
                yield
            finally:
                event.remove(engine, "connect", limit)
                engine.dispose()
            return
        # PostgreSQL: the server's own error codes, raised where the write would happen.
        code, message = {
            "full": ("disk_full", "could not extend file: No space left on device"),
            "readonly": ("read_only_sql_transaction", "cannot execute INSERT in a read-only tx"),
        }[kind]
        db.session.execute(
            text(
                "CREATE FUNCTION refuse_staging() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = '{code}'; END $$"
            )
        )
        db.session.execute(
            text(
                "CREATE TRIGGER refuse_staging BEFORE INSERT ON staged_upload "
                "FOR EACH ROW EXECUTE FUNCTION refuse_staging()"
            )
        )
        db.session.commit()
        try:
            yield
        finally:
            db.session.execute(text("DROP TRIGGER refuse_staging ON staged_upload"))
            db.session.execute(text("DROP FUNCTION refuse_staging()"))
            db.session.commit()


@pytest.mark.parametrize(
    ("kind", "status", "says"),
    [
        ("full", 507, "保存領域が不足している"),
        ("readonly", 503, "保存先に書き込めない"),
    ],
)
def test_a_full_or_read_only_store_says_so_and_keeps_nothing(own_app, kind, status, says):
    coordinator = Factory(own_app).coordinator("03")
    client = own_app.test_client()
    assert (
        client.post("/login", data={"email": coordinator.email, "password": PASSWORD}).status_code
        == 302
    )
    with own_app.app_context():
        before = row_counts()
    with _fault(own_app, kind):
        response = _upload(client, _big_file())
    assert response.status_code == status, response.text[:500]
    assert says in response.text and "何も取り込まれていません" in response.text
    with own_app.app_context():
        assert row_counts() == before  # no staged file, no talent, no audit event
    # Once the store takes writes again, the same upload previews.
    again = _upload(client, _big_file())
    assert again.status_code == 200 and 'name="token"' in again.text
    with own_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 1
        assert db.session.scalar(select(func.count()).select_from(Talent)) == 0
