"""Japanese error pages (and JSON for API-style requests)."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from talentpool.extensions import db

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        db.session.rollback()
        return render_template("errors/error.html", error=None), 500
