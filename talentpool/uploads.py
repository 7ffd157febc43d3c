"""Uploaded files kept between an import's preview and its commit.

The browser only ever holds a random token; the bytes stay in the database (table
`staged_upload`), so every app server behind one address finds the file its neighbour staged.
Each staged file is tied to the uploader and the import's scope, so the commit re-reads
exactly the previewed file and never trusts anything the client sends back. Options chosen
with the upload (e.g. "publish") are kept beside it. Staged files older than 24 hours are swept.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError

from talentpool.extensions import db
from talentpool.models import StagedUpload, utcnow

log = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=24)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class StagingFailed(Exception):
    """The upload could not be kept (storage full or not writable); nothing was left behind.

    `full` tells a full disk (507) from storage that refuses writes (503).
    """

    def __init__(self, full: bool):
        super().__init__("storage full" if full else "storage not writable")
        self.full = full


@dataclass(frozen=True)
class StagedFile:
    token: str
    filename: str
    data: bytes
    options: dict


def _storage_failure(error: DBAPIError) -> StagingFailed | None:
    """A full or write-refusing store, told from other database errors (those propagate)."""
    code = getattr(error.orig, "sqlstate", None) or ""
    text = str(error.orig)
    # PostgreSQL: 53xxx insufficient resources (53100 disk_full); SQLite: SQLITE_FULL.
    if code.startswith("53") or "disk is full" in text:
        return StagingFailed(full=True)
    # PostgreSQL: 25006 read-only transaction (e.g. a standby); SQLite: read-only file.
    if code == "25006" or "readonly database" in text:
        return StagingFailed(full=False)
    return None


def stage(
    data: bytes, filename: str, *, owner_id: int, scope: str, options: dict | None = None
) -> StagedFile:
    """Keep an upload for a later commit by the same user in the same scope.

    Commits the staged file on its own (call it while the request has nothing else pending).
    Raises StagingFailed, with everything rolled back, when the database cannot take it.
    """
    token = secrets.token_urlsafe(24)  # 32 characters
    options = options or {}
    try:
        db.session.execute(delete(StagedUpload).where(StagedUpload.created_at < utcnow() - MAX_AGE))
        db.session.add(
            StagedUpload(
                token=token,
                owner_id=owner_id,
                scope=scope,
                filename=filename[:255],
                options=options,
                data=data,
            )
        )
        db.session.commit()
    except DBAPIError as error:
        db.session.rollback()
        failure = _storage_failure(error)
        if failure is None:
            raise
        log.error("could not stage an upload of %d bytes (%s): %s", len(data), scope, error.orig)
        raise failure from error
    return StagedFile(token, filename, data, options)


def load(token: str, *, owner_id: int, scope: str) -> StagedFile | None:
    """The staged file, or None when the token is unknown, expired or someone else's."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    staged = db.session.get(StagedUpload, token)
    if (
        staged is None
        or staged.owner_id != owner_id
        or staged.scope != scope
        or staged.created_at < utcnow() - MAX_AGE
    ):
        return None
    return StagedFile(token, staged.filename, staged.data, dict(staged.options or {}))


def discard(token: str) -> None:
    """Forget a staged file; call it before the import's commit, so both happen together."""
    if _TOKEN.fullmatch(token or ""):
        db.session.execute(delete(StagedUpload).where(StagedUpload.token == token))
