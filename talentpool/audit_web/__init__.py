"""The audit trail's pages, read-only: the prefecture's or the national trail, and each record's
history tab. (The recording itself is talentpool/audit.py, which knows nothing of the web.)"""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from talentpool.audit_web import views  # noqa: E402,F401  (its routes register on bp)
