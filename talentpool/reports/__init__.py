"""Reports: the prefecture dashboard, the fiscal-measure workbook, recruitment costs, and the
national overview."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

# The route modules register themselves on `bp`.
from talentpool.reports import national, national_matching, recruitment, views  # noqa: E402, F401
