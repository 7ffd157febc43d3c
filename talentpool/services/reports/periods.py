"""What "in fiscal year Y" means for requests, assignments and offers (shared by the reports).

A request or assignment belongs to Y when its period overlaps April 1 – March 31 of Y. A
missing start date counts from the start of the year, but never before the row was created;
a missing end date means open-ended. An assignment that ended (completed or early) stops on
the day it ended, if that is before its planned end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from talentpool import fiscal
from talentpool.models import Assignment, AssignmentState, RequestState, SupportRequest
from talentpool.services.clock import JST

#: Requests a municipality actually posted (drafts are not asked yet; cancelled ones withdrew).
POSTED = (
    RequestState.open,
    RequestState.partially_filled,
    RequestState.filled,
    RequestState.expired,
    RequestState.closed,
)
#: Assignments that hold a seat of their request (ended-early ones gave it back).
SEATED = (AssignmentState.active, AssignmentState.completed)


def utc_bounds(year: int) -> tuple[datetime, datetime]:
    """The fiscal year as naive-UTC datetimes [start, end) — timestamps are stored in UTC."""
    first, last = fiscal.bounds(year)
    start = datetime.combine(first, datetime.min.time()) - JST
    return start, datetime.combine(last + timedelta(days=1), datetime.min.time()) - JST


def jst_date(moment: datetime | None) -> date | None:
    """The Japanese calendar day of a stored naive-UTC timestamp."""
    return (moment + JST).date() if moment is not None else None


def _overlaps_year(model: type[SupportRequest] | type[Assignment], year: int) -> list:
    """SQL conditions: the row's planned period overlaps fiscal year `year` (no start date:
    its creation stands for it)."""
    first, last = fiscal.bounds(year)
    _, end = utc_bounds(year)
    return [
        or_(model.start_date <= last, and_(model.start_date.is_(None), model.created_at < end)),
        or_(model.end_date.is_(None), model.end_date >= first),
    ]


def request_in_year(year: int) -> ColumnElement[bool]:
    """SQL condition: the request's period overlaps fiscal year `year`."""
    return and_(*_overlaps_year(SupportRequest, year))


def assignment_in_year(year: int) -> ColumnElement[bool]:
    """SQL condition: the assignment's period (cut at its ending) overlaps fiscal year `year`."""
    start, _ = utc_bounds(year)
    ended_at = Assignment.ended_at
    return and_(*_overlaps_year(Assignment, year), or_(ended_at.is_(None), ended_at >= start))


def assignment_end(end_date: date | None, ended_at: datetime | None) -> date | None:
    """The last day an assignment ran: its planned end, or the day it ended if earlier."""
    ended = jst_date(ended_at)
    if ended is None:
        return end_date
    return ended if end_date is None else min(end_date, ended)


def hours_in_year(rows: Iterable, year: int) -> dict:
    """{key: Σ hours per month × months in `year`} from grouped rows
    (key, start, end, ended_at, hours per month); ended_at may be None."""
    out: dict = defaultdict(int)
    for key, start, end, ended_at, hours in rows:
        out[key] += int(hours) * fiscal.months_in_year(start, assignment_end(end, ended_at), year)
    return out
