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

from talentpool.extensions import db

bp = Blueprint("main", __name__)


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
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    return redirect(target)
