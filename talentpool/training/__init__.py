"""Training: DX promotion leaders, admin-practice training of talent, targets and progress."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

# The route modules register themselves on `bp`.
from talentpool.training import files, leaders, views  # noqa: E402, F401
