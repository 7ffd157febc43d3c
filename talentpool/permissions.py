"""Who may do what: named rules, one decorator, and object checks in one place.

Views ask these rules; they never compare roles themselves. Objects of another tenant
(another prefecture, municipality or talent) answer 404 so their existence is not revealed;
a known object the user may see but not change answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Invitation,
    Municipality,
    Role,
    Talent,
    User,
)

F = TypeVar("F", bound=Callable)

NATIONAL = (Role.national_admin,)
COORDINATOR = (Role.coordinator,)
OFFICER = (Role.municipal_officer,)
TALENT = (Role.talent,)
PREFECTURE_STAFF = (Role.coordinator, Role.municipal_officer)


def require_role(*roles: str) -> Callable[[F], F]:
    """Login required, and the user's role must be one of `roles` (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def ensure_found(obj):
    """Return obj, or answer 404 when a scoped query found nothing."""
    if obj is None:
        abort(404)
    return obj


# --- rules on objects -------------------------------------------------------------------


def can_view_talent(user: User, talent: Talent) -> bool:
    """The talent themselves and their own prefecture's coordinators."""
    if user.role == Role.coordinator:
        return talent.prefecture_id == user.prefecture_id
    return user.role == Role.talent and talent.user_id == user.id


def can_edit_talent(user: User, talent: Talent) -> bool:
    return can_view_talent(user, talent)


def can_view_talent_contact(user: User, talent: Talent) -> bool:
    """Name and contact: own coordinators, the talent, and the officers of a municipality
    where the talent has accepted an assignment (from acceptance on, also after it ended) —
    never for a mere offer."""
    if user.role == Role.municipal_officer:
        return (
            db.session.scalar(
                select(Assignment.id)
                .where(
                    Assignment.talent_id == talent.id,
                    Assignment.municipality_id == user.municipality_id,
                )
                .limit(1)
            )
            is not None
        )
    return can_view_talent(user, talent)


def _looks_after(actor: User, role: str, prefecture_id: int | None) -> bool:
    """Whose accounts and invitations an actor looks after: national admins, coordinators'
    and national admins'; a coordinator, their own prefecture's officers' and talent's."""
    if actor.role == Role.national_admin:
        return role in (Role.coordinator, Role.national_admin)
    if actor.role == Role.coordinator:
        return (
            role in (Role.municipal_officer, Role.talent) and prefecture_id == actor.prefecture_id
        )
    return False


def can_manage_user(actor: User, user: User) -> bool:
    """Unlock and similar account care: admins for coordinators, coordinators for their own."""
    return _looks_after(actor, user.role, user.prefecture_id)


def can_manage_invitation(user: User, invitation: Invitation) -> bool:
    """Resend, revoke, see the link again: whoever may send such an invitation."""
    return _looks_after(user, invitation.role, invitation.prefecture_id)


def can_invite(
    user: User,
    role: str,
    prefecture_id: int | None,
    municipality_id: int | None,
    municipality: Municipality | None = None,
) -> bool:
    """National admins invite coordinators; coordinators invite officers and talent of their own."""
    if role == Role.municipal_officer:  # an officer's prefecture is their municipality's
        prefecture_id = municipality.prefecture_id if municipality is not None else None
    return _looks_after(user, role, prefecture_id)
