"""Home page per role, health check, favicon, language switch."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from talentpool.main import views  # noqa: E402,F401  (its routes register on bp)
