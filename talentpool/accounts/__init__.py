"""Invitations and the accounts an inviter is responsible for."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from talentpool.accounts import invitations, views  # noqa: E402,F401  (their routes register on bp)
