"""The national list of digital talent and companies (国のリスト)."""

from flask import Blueprint

from talentpool.web.labels import template_labels

bp = Blueprint("national", __name__, url_prefix="/national")
bp.context_processor(template_labels)

from talentpool.national import files, views  # noqa: E402,F401  (its routes register on bp)
