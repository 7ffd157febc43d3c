"""Locale selection: Japanese first, English by choice."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and services run outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.locale in languages:
            return current_user.locale
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The language of the current request ("ja" outside one)."""
    return str(get_locale() or "ja")


#: Between the items of a list in running text: "、" in Japanese, ", " in English.
SEPARATOR = _l("、")


def join(parts: Iterable[object]) -> str:
    """Items as a list in running text, in the user's language."""
    return str(SEPARATOR).join(str(part) for part in parts)
