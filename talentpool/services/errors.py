"""Errors the domain raises; their message is shown to the user as is."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation; `message` is user-facing (translated)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The acting user may not do this."""
