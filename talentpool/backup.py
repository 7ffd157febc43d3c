"""Whole-database export and import (`talentpool export-all` / `import-all`).

A portable JSON document of every table, independent of the backend, so a SQLite demo can
move to PostgreSQL and back. Import only goes into an empty database at the same schema
revision; for routine production backups use pg_dump (see README).
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, LargeBinary, func, inspect, select, text

from talentpool.models import Base

FORMAT = "talentpool-backup"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The file cannot be restored here; the message says why."""


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
    """Write every table to `path` (gzip-compressed JSON); return the row count per table."""
    tables = {}
    counts = {}
    for table in Base.metadata.sorted_tables:
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


def import_all(connection: Connection, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database of the same schema revision."""
    document = _read(path)
    here = schema_revision(connection)
    if document["schema_revision"] and here and document["schema_revision"] != here:
        raise BackupError(
            f"backup is at schema revision {document['schema_revision']}, this database at "
            f"{here}: run `talentpool migrate` to the same revision first"
        )
    for table in Base.metadata.sorted_tables:
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"database is not empty (table {table.name} has rows)")
    counts = {}
    for table in Base.metadata.sorted_tables:
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
        connection.execute(table.insert(), rows)
        counts[table.name] = len(rows)
    _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each serial id sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns or not table.columns["id"].autoincrement:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
