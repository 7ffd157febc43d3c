"""Uploaded files kept on the server between an import's preview and its commit.

The browser only ever holds a random token; the bytes stay under the instance folder (or
UPLOAD_DIR, which several workers or hosts must share), tied to the uploader and the import's
scope, so the commit re-reads exactly the previewed file and never trusts anything the client
sends back. Options chosen with the upload (e.g. "publish") are kept beside it.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class StagedFile:
    token: str
    filename: str
    data: bytes
    options: dict


def _folder() -> Path:
    folder = Path(
        current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another worker swept it first
            continue


def stage(
    data: bytes, filename: str, *, owner_id: int, scope: str, options: dict | None = None
) -> StagedFile:
    """Keep an upload for a later commit by the same user in the same scope."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)  # 32 characters
    (folder / f"{token}.bin").write_bytes(data)
    options = options or {}
    meta = {"filename": filename, "owner_id": owner_id, "scope": scope, "options": options}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return StagedFile(token, filename, data, options)


def load(token: str, *, owner_id: int, scope: str) -> StagedFile | None:
    """The staged file, or None when the token is unknown, expired or someone else's."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _folder()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if time.time() - meta_path.stat().st_mtime > MAX_AGE_SECONDS:
            return None
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("owner_id") != owner_id or meta.get("scope") != scope:
        return None
    return StagedFile(token, meta["filename"], data, meta.get("options", {}))


def discard(token: str) -> None:
    """Forget a staged file once it has been committed."""
    if _TOKEN.fullmatch(token or ""):
        for suffix in (".bin", ".json"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
