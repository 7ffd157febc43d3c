"""Home page per role, health check, favicon, language switch."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
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

from talentpool import audit
from talentpool.extensions import db, limiter
from talentpool.security import local_path

bp = Blueprint("main", __name__)


@bp.before_app_request
def follow_the_calendar() -> None:
    """Before a signed-in page: requests past their end date stop recruiting (one indexed
    query when there is nothing to move), so lists, rankings and plans never offer them."""
    if request.endpoint in (None, "static", "main.healthz") or not current_user.is_authenticated:
        return
    from talentpool.services.requests import expire_ended

    try:
        with audit.as_system():
            moved = expire_ended()
        if moved:
            db.session.commit()
    except OperationalError:  # SQLite: another worker is writing the same move
        db.session.rollback()


@bp.app_template_global()
def attention_for_coordinator() -> list:
    from talentpool.main.attention import coordinator_items

    return coordinator_items(current_user)


@bp.app_template_global()
def attention_for_talent() -> list:
    from talentpool.main.attention import talent_items

    return talent_items(current_user)


@bp.route("/")
def home():
    # A visitor's first page is the login form, without a "please log in" warning.
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("main/home.html")


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
