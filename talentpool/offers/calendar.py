"""iCalendar (RFC 5545) download of one's assignments, written by hand (no dependency).

Each assignment is an all-day event over its period; CRLF line endings, escaped text,
lines folded at 75 octets without splitting a UTF-8 character, a stable UID per assignment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    chunks, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def to_ics(events: Iterable[Event], stamp: datetime, name: str) -> str:
    """The VCALENDAR text for `events`."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//talentpool//offers//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.end + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


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
