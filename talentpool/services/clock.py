"""Today's date where the users are (Japan): the one clock every calendar rule reads.

Outside production the date can be set (`TALENTPOOL_TODAY=2026-04-01`, or the app's
``TODAY`` setting in tests), so a demo or a test can stand on any day and see what the
system shows then: requests past their end date, assignments not yet started, reminders.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

JAPAN = ZoneInfo("Asia/Tokyo")
#: Japan's offset from UTC (it keeps no daylight saving time): a stored naive-UTC time + JST
#: is the time in Japan, and a day in Japan starts at midnight - JST in UTC.
JST = timedelta(hours=9)
_pinned: ContextVar[date | None] = ContextVar("pinned_today", default=None)


def real_today() -> date:
    """The current date in Japan, whatever the server's clock zone."""
    return datetime.now(JAPAN).date()


def today() -> date:
    """Today in Japan, or the date set for this (non-production) app."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    if has_app_context():
        config = current_app.config
        fixed = config.get("TODAY")
        if fixed is not None and config.get("ENV_NAME") != "production":
            return fixed
    return real_today()


def parse_setting(value: str | None) -> date | None:
    """The ``TALENTPOOL_TODAY`` setting as a date (None when unset)."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RuntimeError(
            f"TALENTPOOL_TODAY must be a date like 2026-04-01, not {value!r}"
        ) from None


@contextmanager
def pinned(day: date) -> Iterator[None]:
    """Run code as if today were `day` (the demo plays its history through the services)."""
    token = _pinned.set(day)
    try:
        yield
    finally:
        _pinned.reset(token)
