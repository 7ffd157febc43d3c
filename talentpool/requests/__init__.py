"""Support requests area: lists, posting and editing, lifecycle, import and export."""

from flask import Blueprint

bp = Blueprint("requests", __name__, url_prefix="/requests")

from talentpool.requests import files, views  # noqa: E402,F401  (routes attach to bp)
