"""Engine-level settings that differ by backend, and the one commit rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from talentpool.extensions import db
from talentpool.services.errors import DomainError

T = TypeVar("T")


def commit_or_rollback(action: Callable[[], T]) -> T:
    """Run a service action and commit its work; if the domain refuses it, roll back (so
    nothing it did stays) and re-raise the DomainError. Views (talentpool.web.actions) and
    CLI commands (`commit_or_fail`) both commit through here."""
    try:
        result = action()
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def configure_engine_events(engine: Engine) -> None:
    """Make SQLite transactional the way the code assumes, with foreign keys enforced.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we take over
    (the documented SQLAlchemy recipe) so nested transactions and rollbacks behave as on
    PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Readers (a running export-all, say) never block writers, nor writers readers.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")
