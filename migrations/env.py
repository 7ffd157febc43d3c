"""Alembic environment: the URL comes from the caller or DATABASE_URL; models from talentpool.

Dropping a table that holds rows (a downgrade removing a feature) is logged as a warning with
the row count: that data is gone unless a backup taken before restores it.
"""

import logging
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, event, func, inspect, pool, select, table
from sqlalchemy.schema import DropTable

from talentpool.config import database_url
from talentpool.models import Base

config = context.config
if config.config_file_name is not None and not config.attributes.get("database_url"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
log = logging.getLogger("talentpool.migrations")


def url() -> str:
    return config.attributes.get("database_url") or database_url()


def run_migrations_offline() -> None:
    context.configure(
        url=url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = create_engine(url(), poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connectable)


#: Tables whose rows are no one's data (the page cache's counter starts again anywhere).
NOTHING_LOST = {"data_version"}


def _warn_before_dropping_data(conn, clauseelement, *_args) -> None:
    if not isinstance(clauseelement, DropTable):
        return
    name = clauseelement.element.name
    if name in NOTHING_LOST:
        return
    if name.startswith("_alembic_tmp_") or inspect(conn).has_table(f"_alembic_tmp_{name}"):
        return  # SQLite's batch mode copying a table to change it: nothing is lost
    rows = conn.execute(select(func.count()).select_from(table(name))).scalar()
    if rows:
        log.warning(
            "dropping table %s with %d row(s): this data is lost "
            "(restore it from a backup taken before the downgrade)",
            name,
            rows,
        )


def _run(connection) -> None:
    event.listen(connection, "before_execute", _warn_before_dropping_data)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
