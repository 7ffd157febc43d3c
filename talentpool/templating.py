"""Template filters and globals: dates in JST, 和暦, labels, navigation."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from talentpool import fiscal, nav
from talentpool.models import utcnow
from talentpool.services.clock import JST
from talentpool.services.import_changes import group_errors


def format_datetime(value: datetime | None) -> str:
    """A stored naive-UTC datetime shown in Japan time."""
    if value is None:
        return ""
    return (value + JST).strftime("%Y-%m-%d %H:%M")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (for pagers and sorts)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app: Flask) -> None:
    app.jinja_env.filters["jst"] = format_datetime
    app.jinja_env.filters["isodate"] = format_date
    app.jinja_env.filters["fiscal_year_label"] = fiscal.label
    app.jinja_env.filters["group_errors"] = group_errors
    app.jinja_env.globals["url_with"] = url_with

    @app.context_processor
    def inject():
        role = current_user.role if current_user.is_authenticated else None
        return {
            "nav_items": nav.items_for(role) if role else [],
            "current_locale": str(get_locale() or "ja"),
            "now_utc": utcnow(),
        }
