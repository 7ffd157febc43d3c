"""Japanese error pages (and JSON for API-style requests)."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, HTTPException

from talentpool.extensions import db

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        """A unique constraint refused a row another request wrote a moment before (a double
        submit, two people at once): nothing was written, so say so with a 409."""
        db.session.rollback()
        if not is_unique_violation(error):
            log.exception("database constraint failed")
            return render_template("errors/error.html", error=None), 500
        log.warning("concurrent write refused by a unique constraint: %s", error.orig)
        return render_template("errors/error.html", error=Conflict()), 409

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        db.session.rollback()
        return render_template("errors/error.html", error=None), 500


def is_unique_violation(error: IntegrityError) -> bool:
    """PostgreSQL's unique_violation (23505), or SQLite's "UNIQUE constraint failed"."""
    return getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        error.orig
    )
