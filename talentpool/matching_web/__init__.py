"""The web side of matching: a request's ranking and the prefecture's plan.

The matcher itself lives in talentpool/matching (no Flask); services/matching/bridge.py joins
it to the rows.
"""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")

from talentpool.matching_web import views  # noqa: E402, F401
