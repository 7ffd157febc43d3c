"""The secret in an invitation link, and how the inviter can be shown the link again.

The token is an HMAC of a random nonce under SECRET_KEY. The database keeps the nonce and the
token's SHA-256 (to find the invitation from a link), never the token: a copy of the database
alone opens no invitation. Whoever also holds SECRET_KEY could derive pending links — but that
key already signs every session cookie, so it gives nothing more. Changing SECRET_KEY leaves
old links working (they are found by their hash) but they can no longer be shown: the check
against the stored hash fails and the page offers a resend instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

from talentpool.models import Invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(nonce: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"invitation-link:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_token() -> tuple[str, str]:
    """(nonce to store, token for the link)."""
    nonce = secrets.token_hex(16)
    return nonce, _derive(nonce)


def token_of(invitation: Invitation) -> str | None:
    """The token of an invitation's link, or None when it cannot be derived any more
    (issued before links could be shown again, or SECRET_KEY changed since)."""
    if not invitation.link_nonce:
        return None
    token = _derive(invitation.link_nonce)
    return token if hmac.compare_digest(token_hash(token), invitation.token_hash) else None
