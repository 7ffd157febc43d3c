"""Domain operations: plain values in, rows added and flushed, DomainError out.

Services never commit; the caller (a view, a CLI command, a test) owns the transaction.
"""

from talentpool.services.errors import DomainError, NotAllowed

__all__ = ["DomainError", "NotAllowed"]
