"""Slowing password guessing down without ever locking the owner out for good.

Failed logins are counted per e-mail address, whether an account has it or not, so the
answer never tells which addresses exist. The first LOGIN_FREE_ATTEMPTS failures cost
nothing; each further one makes the address wait LOGIN_BACKOFF_SECONDS, doubling up to
LOGIN_BACKOFF_MAX_SECONDS. The count is forgotten a day after the last failure, on a successful
login, on a password reset and when a coordinator or national admin unlocks the account. The
state is in the database, so every worker and host applies the same back-off.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from talentpool.extensions import db
from talentpool.models import LoginThrottle, utcnow

#: A failure this long after the previous one starts the count afresh.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Backoff:
    free_attempts: int
    base_seconds: int
    max_seconds: int

    @classmethod
    def configured(cls) -> Backoff:
        config = current_app.config
        return cls(
            config["LOGIN_FREE_ATTEMPTS"],
            config["LOGIN_BACKOFF_SECONDS"],
            config["LOGIN_BACKOFF_MAX_SECONDS"],
        )

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after this many failures in a row (0: none)."""
        over = failures - self.free_attempts
        if over <= 0:
            return 0
        return min(self.base_seconds * 2 ** min(over - 1, 32), self.max_seconds)


def key_for(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def seconds_locked(email: str, now: datetime | None = None) -> int:
    """How long attempts for this address must still wait (0: they may go ahead)."""
    now = now or utcnow()
    locked_until = db.session.scalar(
        select(LoginThrottle.locked_until).where(LoginThrottle.key == key_for(email))
    )
    if locked_until is None or locked_until <= now:
        return 0
    return max(1, int((locked_until - now).total_seconds()))


@dataclass(frozen=True)
class Failure:
    wait: int  # seconds the address must now wait (0: none)
    started_backoff: bool  # this failure is the one that started the waiting (tell the owner)


def record_failure(email: str, now: datetime | None = None) -> Failure:
    """Count a failed login for the address.

    The row is locked while it is counted (PostgreSQL), so two workers never lose a failure.
    """
    now = now or utcnow()
    key = key_for(email)
    row = db.session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        sweep(now)  # a new address is where the table grows: drop the stale ones first
        try:
            with db.session.begin_nested():
                row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                db.session.add(row)
        except IntegrityError:  # another worker counted this address's first failure
            row = db.session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    elif now - row.last_failure_at > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    backoff = Backoff.configured()
    wait = backoff.wait_after(row.failures)
    row.locked_until = now + timedelta(seconds=wait) if wait else None
    db.session.flush()
    return Failure(wait, row.failures == backoff.free_attempts + 1)


def clear(email: str) -> None:
    """Forget the address's failures (successful login, password reset, unlock)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key_for(email)))


def locked_until(emails: list[str], now: datetime | None = None) -> dict[str, datetime]:
    """For the accounts page: until when each of these addresses waits, for those that do."""
    now = now or utcnow()
    keys = {key_for(email): email for email in emails}
    rows = db.session.execute(
        select(LoginThrottle.key, LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now
        )
    )
    return {keys[key]: until for key, until in rows}


def sweep(now: datetime | None = None) -> int:
    """Drop counts nobody has added to for a day (addresses typed once and never again)."""
    now = now or utcnow()
    result = db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER)
    )
    return result.rowcount or 0
