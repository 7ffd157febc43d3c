"""Signed-in pages kept, per process, while the data they were rendered from is unchanged.

The heavy read pages (home, pool list, request list, dashboard, offers) are asked again and
again with the same filters by the same people, and data changes far more rarely than it is
read. `cached_page` keeps a rendered page under its key:

    (URL, user, the session's CSRF secret, language, today in Japan, data version)

and answers the same request from memory until any of those changes or PAGE_CACHE_SECONDS
pass. The data version is one row (`data_version`) that every committed write raises in its
own transaction, whoever writes (a page, the CLI, another app server): the engine notes each
INSERT/UPDATE/DELETE on the connection, and the commit that carries them first raises the
counter. So a page read after a commit never comes from before it. What is never kept: a
page with a message waiting to be shown (flash), a page whose request wrote anything, any
answer but 200, and a page asked inside a transaction that has uncommitted writes (what it
sees is not described by any version).

`remembered` keeps computed figures the same way for every user who asks the same thing (the
dashboard's figures of a prefecture and year serve its page, its CSV downloads and every
coordinator of the prefecture).

Permissions are checked before the cache is asked (the decorator sits under the role check);
the session's CSRF secret in the key keeps one login's page (with its form tokens) from
another's. The bound on staleness for rules finer than a day (an invitation expiring at
14:00) is PAGE_CACHE_SECONDS (default 60).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    current_app,
    g,
    message_flashed,
    request,
    session,
)
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from talentpool.extensions import db
from talentpool.services import clock
from talentpool.versioning import data_version, has_uncommitted_writes, track_writes

F = TypeVar("F", bound=Callable)
T = TypeVar("T")

_HEADERS_NOT_KEPT = {"set-cookie", "content-length"}


#: How many computed figures (`remembered`) a process keeps.
MAX_VALUES = 128


@dataclass
class _Entry:
    expires: float
    body: bytes
    status: int
    headers: list[tuple[str, str]]


@dataclass
class PageCache:
    """Rendered pages by key, oldest use evicted first beyond `max_bytes`."""

    seconds: float
    max_bytes: int
    now: Callable[[], float] = time.monotonic
    hits: int = 0
    misses: int = 0
    _entries: OrderedDict[tuple, _Entry] = field(default_factory=OrderedDict)
    #: Figures kept by `remembered`: key → (expires, value), at most MAX_VALUES.
    _values: OrderedDict[tuple, tuple[float, Any]] = field(default_factory=OrderedDict)
    _bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self.max_bytes > 0

    def get(self, key: tuple) -> Response | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.expires <= self.now():
                self._drop(key)
                entry = None
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return Response(entry.body, status=entry.status, headers=entry.headers)

    def put(self, key: tuple, response: Response) -> None:
        body = response.get_data()
        if len(body) > self.max_bytes // 4:
            return
        headers = [(k, v) for k, v in response.headers if k.lower() not in _HEADERS_NOT_KEPT]
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = _Entry(
                self.now() + self.seconds, body, response.status_code, headers
            )
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def get_value(self, key: tuple) -> tuple[bool, Any]:
        with self._lock:
            kept = self._values.get(key)
            if kept is None or kept[0] <= self.now():
                self._values.pop(key, None)
                return False, None
            self._values.move_to_end(key)
            return True, kept[1]

    def put_value(self, key: tuple, value: Any) -> None:
        with self._lock:
            self._values[key] = (self.now() + self.seconds, value)
            self._values.move_to_end(key)
            while len(self._values) > MAX_VALUES:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._values.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._entries.pop(key).body)


def install(app: Flask) -> None:
    """Give the app its cache (PAGE_CACHE_SECONDS, PAGE_CACHE_MB) and count writes on its
    engine."""
    app.extensions["page_cache"] = PageCache(
        seconds=float(app.config.get("PAGE_CACHE_SECONDS", 60)),
        max_bytes=int(float(app.config.get("PAGE_CACHE_MB", 32)) * 1024 * 1024),
    )
    with app.app_context():
        track_writes(db.engine)
    message_flashed.connect(_flashed, app)


def _flashed(_app: Flask, **_extra: Any) -> None:
    g.request_wrote = True  # the page shows a message it will not show again


def cache() -> PageCache:
    return current_app.extensions["page_cache"]


def _key(version: int) -> tuple:
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (
        request.url,
        current_user.get_id(),
        session.get(csrf_field),
        str(get_locale()),
        clock.today(),
        version,
    )


def _usable_version(pages: PageCache) -> int | None:
    """The data version to key kept things by, or None when nothing may be kept or read now
    (cache off, uncommitted writes in this transaction, no version row)."""
    if not pages.enabled or has_uncommitted_writes():
        return None
    return data_version()


def remembered(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same key on the same day at the same data
    version in this process (for any user: the key must name everything the value depends
    on, e.g. the prefecture and year of a dashboard). The value must be plain data, not rows
    of a session."""
    pages = cache()
    version = _usable_version(pages)
    if version is None:
        return compute()
    full = (*key, clock.today(), version)
    found, value = pages.get_value(full)
    if found:
        return value
    value = compute()
    pages.put_value(full, value)
    return value


def cached_page(view: F) -> F:
    """Answer a GET of `view` from the cache when nothing it shows can have changed. Put it
    under the login and role checks."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        pages = cache()
        if request.method != "GET" or "_flashes" in session:
            return view(*args, **kwargs)
        version = _usable_version(pages)
        if version is None:
            return view(*args, **kwargs)
        generate_csrf()  # the session's CSRF secret exists before it becomes part of the key
        key = _key(version)
        hit = pages.get(key)
        if hit is not None:
            return hit
        g.request_wrote = False
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.is_streamed and not g.request_wrote:
            pages.put(key, response)
        return response

    return wrapped  # type: ignore[return-value]
