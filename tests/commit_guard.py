"""A check the whole suite runs: a view that answers with a redirect after committing must not
touch the database again. Were the connection lost right after the commit, the saved change
would be reported as an error, and the user's retry could save it twice."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

#: The test fixture's savepoints, not queries of the view.
_PLUMBING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
#: "METHOD path → status: statement" for each offending request, cleared by each test.
violations: list[str] = []


def install(app: Flask, engine: Engine) -> None:
    @event.listens_for(Session, "after_commit")
    def _committed(_session):
        if has_request_context():  # only what follows the request's last commit counts
            g.committed, g.after_commit = True, []

    @event.listens_for(engine, "before_cursor_execute")
    def _query(_conn, _cursor, statement, _parameters, _context, _executemany):
        if has_request_context() and g.get("committed") and not statement.startswith(_PLUMBING):
            g.setdefault("after_commit", []).append(" ".join(statement.split())[:120])

    @app.after_request
    def _check(response):
        if 300 <= response.status_code < 400 and g.get("after_commit"):
            violations.append(
                f"{request.method} {request.path} → {response.status_code}: {g.after_commit[0]}"
            )
        return response
