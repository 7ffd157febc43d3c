"""In-app notifications: the list, marking read, the unread count in the header."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from talentpool.notifications import views  # noqa: E402,F401  (its routes register on bp)
