"""Logging in and out, accepting an invitation, changing and resetting a password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from talentpool.auth import passwords, views  # noqa: E402,F401  (routes attach to bp)
