"""The prefecture's talent pool: list, profiles, import/export, the talent's own page."""

from flask import Blueprint

from talentpool.web.labels import template_labels

bp = Blueprint("pool", __name__, url_prefix="/pool")
bp.context_processor(template_labels)

from talentpool.pool import files, personal, views  # noqa: E402,F401  (their routes register on bp)
