"""Japanese error pages, which render even while the database is down.

The full page extends the base layout, which reads the current user (and so the database).
When the database is unreachable, or the full page cannot be rendered, a standalone page
that needs nothing but the request answers instead: a 503 with Retry-After for an outage.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, render_template, session
from flask_babel import force_locale
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, HTTPException

from talentpool.extensions import db
from talentpool.uploads import StagingFailed

log = logging.getLogger(__name__)

#: Seconds a client is told to wait after a 503 (the database usually restarts within this).
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException) -> bool:
    """The database cannot be reached (down, restarting, connection lost, pool exhausted)."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it
        log.warning("rollback after an error failed", exc_info=True)


def _locale() -> str:
    """The language of the page without asking the database (the session remembers it)."""
    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else "ja"


def standalone_page(code: int, *, error=None, reason: str | None = None) -> Response:
    """The error page rendered from the request alone."""
    locale = _locale()
    with force_locale(locale):
        # Straight from the Jinja environment: the context processors read the current user.
        html = current_app.jinja_env.get_template("errors/standalone.html").render(
            code=code, error=error, reason=reason, locale=locale
        )
    response = Response(html, status=code, mimetype="text/html")
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_page(code: int, *, error=None, reason: str | None = None):
    """The full error page, or the standalone one when the layout cannot be rendered."""
    try:
        html = render_template("errors/error.html", code=code, error=error, reason=reason)
    except Exception as failure:
        _rollback()
        if database_unavailable(failure):
            log.warning("database unreachable while showing a %s page: %s", code, failure)
        else:
            log.exception("the %s page could not be rendered", code)
        return standalone_page(code, error=error, reason=reason)
    response = Response(html, status=code, mimetype="text/html")
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code >= 500:
            _rollback()
        return error_page(code, error=error)

    @app.errorhandler(StagingFailed)
    def staging_failed(error: StagingFailed):
        if error.full:
            return error_page(507, reason="storage_full")
        return error_page(503, reason="storage_refused")

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        """A unique constraint refused a row another request wrote a moment before (a double
        submit, two people at once): nothing was written, so say so with a 409."""
        _rollback()
        if not is_unique_violation(error):
            log.exception("database constraint failed")
            return error_page(500)
        log.warning("concurrent write refused by a unique constraint: %s", error.orig)
        return error_page(409, error=Conflict())

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        _rollback()
        if database_unavailable(error):
            log.warning("database unreachable: %s", error)
            return standalone_page(503, reason="database")
        log.exception("unhandled error")
        return error_page(500)


def is_unique_violation(error: IntegrityError) -> bool:
    """PostgreSQL's unique_violation (23505), or SQLite's "UNIQUE constraint failed"."""
    return getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        error.orig
    )
