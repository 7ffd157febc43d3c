"""Today's date where the users are (Japan), for reply-by dates and activity months."""

from __future__ import annotations

from datetime import date, timedelta

from talentpool.models import utcnow

JST = timedelta(hours=9)


def today() -> date:
    """The current date in Japan Standard Time."""
    return (utcnow() + JST).date()
