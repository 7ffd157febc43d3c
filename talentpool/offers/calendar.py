"""iCalendar (RFC 5545) download of one's assignments, written by the icalendar library.

Each assignment is an all-day event over its period with a stable UID; icalendar escapes the
text values, folds lines at 75 octets without splitting a UTF-8 character and ends them with
CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import Assignment, AssignmentState, utcnow
from talentpool.offers import bp
from talentpool.permissions import COORDINATOR, OFFICER, TALENT, require_role
from talentpool.services.notifications import path_for
from talentpool.web.downloads import file_response


@dataclass(frozen=True)
class Event:
    uid: str
    start: date
    end: date  # inclusive last day
    summary: str
    description: str = ""
    url: str = ""


def to_ics(events: Iterable[Event], stamp: datetime, name: str) -> str:
    """The VCALENDAR text for `events`; `stamp` is naive UTC, as the database stores times."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//talentpool//offers//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is written as given unless it is declared TEXT (then escaped).
    calendar.add("x-wr-calname", icalendar.vText(name))
    stamp = stamp.replace(tzinfo=UTC)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end + timedelta(days=1))  # all-day events end exclusive
        entry.add("summary", event.summary)
        if event.description:
            entry.add("description", event.description)
        if event.url:
            entry.add("url", event.url)
        calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def event_of(assignment: Assignment, base_url: str) -> Event:
    """An assignment as a calendar event (ended-early ones end on the day they ended)."""
    start = assignment.start_date or assignment.created_at.date()
    end = assignment.end_date or start
    if assignment.state == AssignmentState.ended_early and assignment.ended_at:
        end = max(min(end, assignment.ended_at.date()), start)
    req = assignment.request
    summary = _(
        "派遣: %(municipality)s %(title)s",
        municipality=assignment.municipality.name,
        title=req.title,
    )
    description = _(
        "人材: %(talent)s\n月%(hours)d時間\n%(description)s",
        talent=assignment.talent.name,
        hours=assignment.hours_per_month,
        description=req.description,
    )
    host = base_url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "talentpool"
    return Event(
        uid=f"assignment-{assignment.id}@{host}",
        start=start,
        end=end,
        summary=summary,
        description=description,
        url=base_url + path_for("offers.assignment_detail", assignment_id=assignment.id),
    )


@bp.route("/calendar.ics")
@require_role(*TALENT, *OFFICER, *COORDINATOR)
def calendar():
    """My assignments (talent), my municipality's (officer) or my prefecture's (coordinator)."""
    base_url = current_app.config["BASE_URL"].rstrip("/")
    items = db.session.scalars(
        scoping.assignments_for(current_user)
        .order_by(Assignment.start_date, Assignment.id)
        .limit(2000)
    )
    text = to_ics((event_of(a, base_url) for a in items), utcnow(), _("派遣予定"))
    return file_response(text, "assignments", "ics")
