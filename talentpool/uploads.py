"""Uploaded files kept on the server between an import's preview and its commit.

The browser only ever holds a random token; the file itself stays in the instance folder, tied to
the user who uploaded it, and is parsed again at commit. Old files are swept on each store.
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

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class StoredUpload:
    data: bytes
    filename: str


def _folder(kind: str) -> Path:
    base = Path(current_app.config.get("UPLOAD_FOLDER") or INSTANCE_DIR / "uploads")
    folder = base / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(kind: str, user_id: int, data: bytes, filename: str) -> str:
    """Keep an upload and return the token that finds it again."""
    folder = _folder(kind)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"user_id": user_id, "filename": Path(filename).name[:200]}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(kind: str, user_id: int, token: str) -> StoredUpload | None:
    """The upload of that token, if it exists and belongs to `user_id`."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _folder(kind)
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id:
        return None
    return StoredUpload(data, meta.get("filename", ""))


def discard(kind: str, token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    folder = _folder(kind)
    for suffix in (".bin", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
