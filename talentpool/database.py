"""Engine-level settings that differ by backend."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
