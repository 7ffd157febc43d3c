"""Offers and assignments: sending, answering, the work itself, and the calendar.

One blueprint, its views split by meaning across the modules imported below.
"""

from flask import Blueprint

bp = Blueprint("offers", __name__, url_prefix="/offers")

from talentpool.offers import assignments, calendar, views  # noqa: E402, F401
