"""The calendar's daily moves (`talentpool daily`): requests past their end date stop
recruiting, assignments that have started are announced, and those past their end date are
put to the coordinator to complete. Every part is idempotent: a second run changes nothing.

Request states are also settled whenever a page is read (main.views), so the pages are right
even on a day cron did not run; assignments need no stored move, their phase is read from
the dates (services.offers.assignments.phase).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from talentpool.services.clock import today
from talentpool.services.offers import assignments
from talentpool.services.requests import support_requests


@dataclass(frozen=True)
class DailyReport:
    expired_requests: int
    started_notices: int
    overdue_notices: int

    def __str__(self) -> str:
        return (
            f"{self.expired_requests} request(s) past their end date stopped recruiting; "
            f"sent {self.started_notices} assignment-started and "
            f"{self.overdue_notices} complete-the-assignment notice(s)"
        )


def follow(on: date | None = None) -> DailyReport:
    """Make the day's moves for every prefecture."""
    day = on or today()
    return DailyReport(
        expired_requests=len(support_requests.expire_ended(day)),
        started_notices=assignments.notify_started(day),
        overdue_notices=assignments.notify_overdue(day),
    )
