"""One record by its id, as the current user may see it: through its scoping function (so
another tenant's record, like a missing one, answers 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_login import current_user
from sqlalchemy import Select

from talentpool.extensions import db
from talentpool.permissions import ensure_found

M = TypeVar("M")


def scoped_or_404(scoped: Callable[..., Select], model: type[M], record_id: int) -> M:
    """The `model` row with this id among `scoped(current_user)` (a talentpool.scoping
    function), or 404."""
    return ensure_found(db.session.scalar(scoped(current_user).where(model.id == record_id)))
