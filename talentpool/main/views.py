"""Home page per role, health check, favicon, language switch."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import (
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from talentpool import audit, scoping, versioning
from talentpool.extensions import db, limiter
from talentpool.main import bp
from talentpool.models import Role, User
from talentpool.security import local_path
from talentpool.services.clock import today
from talentpool.web.page_cache import cached_page

#: How many of the municipality's newest requests its officers' home page lists.
HOME_REQUESTS = 20


@bp.before_app_request
def follow_the_calendar() -> None:
    """Before a signed-in page: requests past their end date stop recruiting (one indexed
    query when there is nothing to move), so lists, rankings and plans never offer them."""
    if request.endpoint in (None, "static", "main.healthz") or not current_user.is_authenticated:
        return
    from talentpool.services.requests.support_requests import expire_ended

    # Nothing to move is still nothing to move on the same day with no commit since: this
    # process then skips the query (the page cache reads the same version anyway).
    checked = (today(), versioning.data_version())
    settled = checked[1] is not None and not versioning.has_uncommitted_writes()
    if settled and current_app.extensions.get("calendar_checked") == checked:
        return
    try:
        with audit.as_system():
            moved = expire_ended()
        if moved:
            db.session.commit()
        elif settled:
            current_app.extensions["calendar_checked"] = checked
    except OperationalError:  # SQLite: another worker is writing the same move
        db.session.rollback()


def _role_home(user: User) -> dict:
    """The role's part of the home page (`role_partial`) and the data it shows;
    a national admin's home has no such part."""
    from talentpool.main import attention

    if user.role == Role.coordinator:
        return {
            "role_partial": "main/_home_coordinator.html",
            "items": attention.coordinator_items(user),
        }
    if user.role == Role.talent:
        return {"role_partial": "main/_home_talent.html", "items": attention.talent_items(user)}
    if user.role == Role.municipal_officer:
        return {"role_partial": "main/_home_municipal_officer.html", **_municipal_home(user)}
    return {"role_partial": None}


def _municipal_home(user: User) -> dict:
    """The municipality's newest requests with who supports them, its DX-leader progress this
    fiscal year, and finished support still waiting for its rating."""
    from talentpool.services.offers import offer_queries
    from talentpool.services.requests.search import RequestFilters, apply_filters
    from talentpool.services.training import progress

    requests = list(
        db.session.scalars(
            apply_filters(scoping.requests_for(user), RequestFilters()).limit(HOME_REQUESTS)
        )
    )
    return {
        "requests": requests,
        "seated": offer_queries.seated_by_request(user, [r.id for r in requests]),
        "summary": progress.municipality_summary(user.municipality_id),
        "waiting": offer_queries.unrated_for(user),
    }


@bp.route("/")
def home():
    # A visitor's first page is the login form, without a "please log in" warning.
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return _signed_in_home()


@cached_page
def _signed_in_home():
    return render_template("main/home.html", **_role_home(current_user))


@cache
def _favicon() -> bytes:
    return (Path(__file__).resolve().parent.parent / "static" / "favicon.ico").read_bytes()


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; the same icon as <link rel=icon>."""
    return Response(
        _favicon(),
        mimetype="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not. The rate limiter's store (Redis)
    being down is "degraded", still 200: logins go on with per-process limits meanwhile."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    if not limiter.enabled or limiter.storage.check():
        return {"status": "ok", "database": "ok", "rate_limit_storage": "ok"}
    return {"status": "degraded", "database": "ok", "rate_limit_storage": "unreachable"}


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(local_path(request.form.get("next")) or url_for("main.home"))
