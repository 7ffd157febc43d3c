"""Response headers every page gets, and input no page can use."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


#: Browsers that have seen this over HTTPS use nothing but HTTPS for the site for two years.
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if current_app.config.get("ENV_NAME") == "production":
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def reject_nul_bytes() -> None:
    """A NUL character in a query or form value is never meant: PostgreSQL cannot store it
    and SQLite cuts a LIKE pattern at it. Answer 400 before any view sees it."""
    for values in (request.args, request.form):
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400)


def local_path(target: str | None) -> str | None:
    r"""`target` when it is a path on this site, else None: what a `next` parameter may send
    the browser to.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    `/\t/evil.example/` or `/\evil.example` would leave the site; such targets are refused
    whole, never cleaned up.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
