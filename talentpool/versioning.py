"""The data version: one counter that every committed write raises, in its own transaction.

Whoever writes (a page, the CLI, another app server), the engine notes each INSERT, UPDATE
or DELETE on the connection, and the commit that carries them first raises the counter
(table data_version). So a value computed from the data at version v is still right as long
as the version read is v — what the page cache (talentpool.web.page_cache) and the matcher's
prepared pools (services.matching.bridge) rely on. Reading the version first and the data
after is safe: a commit in between only files a newer result under the older version, which
no later reader asks for.
"""

from __future__ import annotations

import re

from flask import g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from talentpool.extensions import db
from talentpool.models import DataVersion

#: Statements that change rows (a CTE may carry one: WITH … UPDATE).
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|MERGE|REPLACE|TRUNCATE)\b", re.IGNORECASE)
_CTE_WRITE = re.compile(r"\s*WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
_DDL = re.compile(r"\s*(?:CREATE|DROP|ALTER)\b", re.IGNORECASE)
#: Keys in a DBAPI connection's info: writes not yet committed; the counter table is known.
_PENDING = "data_version.pending_writes"
_HAS_TABLE = "data_version.has_table"
_BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


def writes(statement: str) -> bool:
    """Whether a SQL statement may change rows."""
    return bool(_WRITE.match(statement) or _CTE_WRITE.match(statement))


def track_writes(engine: Engine) -> None:
    """Raise the data version in every transaction on `engine` that commits a write."""

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn, _cursor, statement, _parameters, _context, _executemany):
        if writes(statement):
            conn.info[_PENDING] = True
            if has_request_context():
                g.request_wrote = True
        elif _DDL.match(statement):
            conn.info.pop(_HAS_TABLE, None)  # a migration may create or drop the table

    @event.listens_for(engine, "commit")
    def _commit(conn):
        if conn.info.pop(_PENDING, False):
            _raise_version(conn)
            if has_request_context():
                g.pop("data_version_read", None)  # what this request read is older now

    @event.listens_for(engine, "rollback")
    def _rollback(conn):
        conn.info.pop(_PENDING, None)


def _raise_version(conn) -> None:
    """Raise the counter on the committing connection, just before its COMMIT (the DBAPI
    cursor, so no SQLAlchemy event sees this statement). A database migrated to before the
    table existed commits as it did."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if not conn.info.get(_HAS_TABLE):
            if conn.dialect.name == "postgresql":
                cursor.execute("SELECT to_regclass('data_version') IS NOT NULL")
            else:
                cursor.execute(
                    "SELECT count(*) > 0 FROM sqlite_master "
                    "WHERE type = 'table' AND name = 'data_version'"
                )
            if not cursor.fetchone()[0]:
                return
            conn.info[_HAS_TABLE] = True
        cursor.execute(_BUMP)
    finally:
        cursor.close()


def has_uncommitted_writes() -> bool:
    """Whether this request's transaction has written rows it has not committed."""
    return bool(db.session.connection().info.get(_PENDING))


def data_version() -> int | None:
    """The committed data version (None on a database without the row), read once a request
    (until the request commits)."""
    if has_request_context() and "data_version_read" in g:
        return g.data_version_read
    version = db.session.scalar(select(DataVersion.version).where(DataVersion.id == 1))
    if has_request_context():
        g.data_version_read = version
    return version
