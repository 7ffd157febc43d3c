"""On-disk caches of the matcher for runs without a database (``talentpool match``).

Talent text changes rarely, so the talent side is kept between runs at two levels:
each text's word analysis in a small SQLite file, keyed by the SHA-256 of the text and the
analysis version (an edited profile simply misses and is analysed again, and a new
analysis version never reads old entries), and the whole built index of a talent file
in one pickle, keyed by the SHA-256 of the file and of every setting the index depends
on (``read_stored``/``write_stored``). The pickles are this user's own files, written
and read only by this program, like any other cache folder of theirs. The folder is
``TALENTPOOL_CACHE_DIR``, else ``$XDG_CACHE_HOME/talentpool``, else
``~/.cache/talentpool``; a cache that cannot be written only costs time, never an answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    explicit = os.environ.get("TALENTPOOL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talentpool"


def text_key(text: str) -> str:
    """The content hash a text's analysis is stored under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TermCache:
    """text hash → encoded analysis, for one analysis version, in one SQLite file."""

    def __init__(self, version: str, directory: Path | None = None):
        self.path = (directory or cache_dir()) / "terms.sqlite3"
        self.version = version

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=5)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS terms "
            "(version TEXT, key TEXT, value TEXT, PRIMARY KEY (version, key))"
        )
        return conn

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        try:
            with self._connect() as conn:
                for start in range(0, len(wanted), 500):
                    part = wanted[start : start + 500]
                    marks = ",".join("?" * len(part))
                    found.update(
                        conn.execute(
                            f"SELECT key, value FROM terms WHERE version = ? AND key IN ({marks})",
                            [self.version, *part],
                        ).fetchall()
                    )
        except (sqlite3.Error, OSError) as error:
            log.warning("matcher cache %s unreadable: %s", self.path, error)
        return found

    def put_many(self, items: Mapping[str, str]) -> None:
        if not items:
            return
        try:
            with self._connect() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO terms (version, key, value) VALUES (?, ?, ?)",
                    [(self.version, k, v) for k, v in items.items()],
                )
        except (sqlite3.Error, OSError) as error:
            log.warning("matcher cache %s not written: %s", self.path, error)


def code_digest() -> str:
    """SHA-256 of the matcher's own source: a stored index is built by this code, so any
    change to it (a rule, a feature, the storage format) makes earlier ones misses."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_stored(prefix: str, key: str, directory: Path | None = None) -> object | None:
    """The object stored under ``prefix`` and ``key``, or None (missing or unreadable:
    a miss, never an error)."""
    path = (directory or cache_dir()) / f"{prefix}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 - a damaged cache file is only a miss
        log.warning("matcher cache %s unreadable: %s", path, error)
        return None


def write_stored(
    prefix: str, key: str, value: object, directory: Path | None = None, keep: int = 2
) -> None:
    """Store ``value`` under ``prefix`` and ``key`` (written whole or not at all); of the
    files with this prefix only the ``keep`` newest stay, so the folder does not grow."""
    folder = directory or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, folder / f"{prefix}-{key}.pickle")
        older = sorted(folder.glob(f"{prefix}-*.pickle"), key=lambda p: p.stat().st_mtime)
        for path in older[:-keep]:
            path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("matcher cache %s not written: %s", folder, error)
