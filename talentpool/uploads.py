"""Uploaded files kept on the server between an import's preview and its commit.

The browser only ever holds a random token; the bytes stay under the instance folder (or
UPLOAD_DIR), tied to the user who uploaded them, and are re-parsed at commit, so nothing the
client sends back after the preview is trusted. Stale uploads are swept on every new one.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from talentpool.config import INSTANCE_DIR

MAX_AGE_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class StoredUpload:
    data: bytes
    filename: str
    kind: str
    options: dict


def _directory() -> Path:
    path = Path(current_app.config.get("UPLOAD_DIR") or INSTANCE_DIR / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path]:
    base = _directory() / token
    return base.with_suffix(".bin"), base.with_suffix(".json")


def _sweep(directory: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another worker swept it first
            pass


def store(data: bytes, *, filename: str, owner_id: int, kind: str,
          options: dict | None = None) -> str:
    """Keep an upload (and the options chosen with it) for `owner_id`; returns its token."""
    _sweep(_directory())
    token = secrets.token_urlsafe(24)  # 32 characters
    data_path, meta_path = _paths(token)
    data_path.write_bytes(data)
    meta_path.write_text(json.dumps({"filename": filename, "owner_id": owner_id, "kind": kind,
                                     "options": options or {}}))
    return token


def load(token: str, *, owner_id: int, kind: str) -> StoredUpload | None:
    """The upload behind a token, or None if unknown, expired, of another kind or another user."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    data_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text())
        if time.time() - meta_path.stat().st_mtime > MAX_AGE_SECONDS:
            return None
        data = data_path.read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    if meta.get("owner_id") != owner_id or meta.get("kind") != kind:
        return None
    return StoredUpload(data=data, filename=meta.get("filename", ""), kind=kind,
                        options=meta.get("options") or {})


def discard(token: str) -> None:
    """Delete an upload once it is committed."""
    if _TOKEN.fullmatch(token or ""):
        for path in _paths(token):
            path.unlink(missing_ok=True)
