"""Whole-database export and import (`talentpool export-all` / `import-all`).

A portable JSON document of every table, independent of the backend, so a SQLite demo can
move to PostgreSQL and back. The export reads every table in one snapshot (PostgreSQL: a
read-only REPEATABLE READ transaction; SQLite: one read transaction), so a backup taken while
the app is in use holds no row whose reference is missing, and it checks its own file before
it says so. Import only goes into an empty database at the same schema revision, all or
nothing; for routine production backups use pg_dump (see README).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    LargeBinary,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from talentpool.models import Base

FORMAT = "talentpool-backup"
FORMAT_VERSION = 1
#: Working copies that are not worth restoring (staged uploads live for a day at most), and
#: the page cache's counter (a fresh database has its own; the restore's commit raises it).
SKIPPED_TABLES = {"staged_upload", "data_version"}


class BackupError(Exception):
    """The file cannot be restored here; the message says why."""


def _tables():
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return lambda v: datetime.fromisoformat(v) if v is not None else None
    if isinstance(kind, Date):
        return lambda v: date.fromisoformat(v) if v is not None else None
    if isinstance(kind, LargeBinary):
        return lambda v: base64.b64decode(v) if v is not None else None
    return lambda v: v


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision of the database (None where it was not built by migrations)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def export_all(connection: Connection, path: Path) -> dict[str, int]:
    """Write every table to `path` (gzip-compressed JSON); return the row count per table.

    Reads through `connection` as it is: open it with `snapshot()` for a consistent copy.
    """
    tables = {}
    counts = {}
    for table in _tables():
        order = [c for c in table.primary_key.columns] or list(table.columns)
        rows = connection.execute(select(table).order_by(*order)).all()
        tables[table.name] = {
            "columns": [c.name for c in table.columns],
            "rows": [[_encode(v) for v in row] for row in rows],
        }
        counts[table.name] = len(rows)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(connection),
        "exported_at": datetime.now().isoformat(timespec="seconds"),
        "tables": tables,
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    return counts


def snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment of the database (close it after use)."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    # SQLite: the begin hook (talentpool.database) opens one transaction, whose first read
    # fixes the snapshot; with WAL, writers carry on meanwhile.
    connection.begin()
    return connection


def export_consistent(engine: Engine, path: Path) -> dict[str, int]:
    """Export in one snapshot to `path`, check the file, and only then put it in place.

    Raises BackupError (and leaves no file at `path`) when the check fails.
    """
    partial = path.with_name(path.name + ".partial")
    try:
        with snapshot(engine) as connection:
            counts = export_all(connection, partial)
        problems = check_references(_read(partial))
        if problems:
            raise BackupError("the export is inconsistent, not kept: " + "; ".join(problems))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def check_references(document: dict) -> list[str]:
    """Every foreign key of every row in the document points at a row in the document;
    returns what does not, one line per foreign key."""
    present: dict[tuple[str, tuple[str, ...]], set] = {}

    def values_of(table_name: str, columns: tuple[str, ...]) -> set:
        if (table_name, columns) not in present:
            data = document["tables"].get(table_name) or {"columns": [], "rows": []}
            index = [data["columns"].index(c) for c in columns if c in data["columns"]]
            present[table_name, columns] = {tuple(row[i] for i in index) for row in data["rows"]}
        return present[table_name, columns]

    problems = []
    for table in _tables():
        data = document["tables"].get(table.name)
        if not data or not data["rows"]:
            continue
        for constraint in table.foreign_key_constraints:
            target = constraint.referred_table.name
            local = tuple(c.name for c in constraint.columns)
            if target in SKIPPED_TABLES or any(c not in data["columns"] for c in local):
                continue
            remote = tuple(e.column.name for e in constraint.elements)
            index = [data["columns"].index(c) for c in local]
            wanted = values_of(target, remote)
            missing: dict[tuple, int] = defaultdict(int)
            for row in data["rows"]:
                value = tuple(row[i] for i in index)
                if None not in value and value not in wanted:
                    missing[value] += 1
            if missing:
                example = ",".join(str(v) for v in next(iter(missing)))
                problems.append(
                    f"{table.name}.{','.join(local)} → {target}: {sum(missing.values())} row(s) "
                    f"refer to rows that are not in the file (e.g. {example})"
                )
    return problems


def _read(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(f"not a talentpool backup file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("not a talentpool backup file")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format version {document.get('format_version')}")
    return document


def _check_schema(connection: Connection) -> None:
    existing = set(inspect(connection).get_table_names())
    missing = [t.name for t in Base.metadata.sorted_tables if t.name not in existing]
    if len(missing) == len(Base.metadata.sorted_tables):
        raise BackupError(
            "this database has no talentpool tables (never migrated): "
            "run `talentpool migrate` first"
        )
    if missing:
        raise BackupError(
            f"this database lacks the tables {', '.join(sorted(missing))}: "
            "run `talentpool migrate` first"
        )


def import_all(connection: Connection, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database of the same schema revision.

    All or nothing: raises BackupError, and the caller's transaction rolls back.
    """
    document = _read(path)
    _check_schema(connection)
    here = schema_revision(connection)
    if document["schema_revision"] and here and document["schema_revision"] != here:
        raise BackupError(
            f"backup is at schema revision {document['schema_revision']}, this database at "
            f"{here}: run `talentpool migrate` to the same revision first"
        )
    problems = check_references(document)
    if problems:
        raise BackupError("the backup file is inconsistent: " + "; ".join(problems))
    for table in _tables():
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"database is not empty (table {table.name} has rows)")
    counts = {}
    for table in _tables():
        data = document["tables"].get(table.name)
        if not data or not data["rows"]:
            counts[table.name] = 0
            continue
        unknown = set(data["columns"]) - set(table.columns.keys())
        if unknown:
            raise BackupError(f"table {table.name}: unknown columns {sorted(unknown)}")
        decoders = [_decoder(table.columns[name]) for name in data["columns"]]
        rows = [
            {
                name: decode(value)
                for name, decode, value in zip(data["columns"], decoders, row, strict=True)
            }
            for row in data["rows"]
        ]
        try:
            connection.execute(table.insert(), rows)
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise BackupError(f"table {table.name} could not be restored: {reason}") from None
        counts[table.name] = len(rows)
    _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each serial id sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" not in table.columns or not table.columns["id"].autoincrement:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
