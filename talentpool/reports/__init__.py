"""Reports: the prefecture dashboard, the fiscal-measure workbook, recruitment costs, and the
national overview."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

# The route modules register themselves on `bp`.
from talentpool.reports import (  # noqa: E402, F401
    national_matching_views,
    national_views,
    recruitment_views,
    views,
)
