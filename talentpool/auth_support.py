"""Flask-Login wiring: session ids carry a version so logout invalidates old cookies."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from talentpool.extensions import db
from talentpool.models import User


def load_user(session_id: str) -> User | None:
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("このページを表示するにはログインしてください。")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
