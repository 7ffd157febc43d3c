"""Template filters and globals: dates in JST, 和暦, labels, navigation.

The one place they are registered. They format what a view passed in; none fetches data
(a page's data comes from its view)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import fiscal
from talentpool.models import Notification, TrainingProgram, utcnow
from talentpool.services.clock import JST
from talentpool.services.import_changes import group_errors
from talentpool.services.notifications import text_of
from talentpool.services.offers import assignments
from talentpool.services.offers.lifecycle import DECLINE_CODES
from talentpool.services.requests.states import STATE_LABELS
from talentpool.services.training import programs
from talentpool.web import nav


def format_datetime(value: datetime | None) -> str:
    """A stored naive-UTC datetime shown in Japan time."""
    if value is None:
        return ""
    return (value + JST).strftime("%Y-%m-%d %H:%M")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (for pagers and sorts)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def training_program_label(program: TrainingProgram) -> str:
    """The program's name as the enrolment form's list shows it."""
    return programs.program_label(program, str(get_locale() or "ja"))


def training_status_label(status: str) -> str:
    return str(programs.STATUS_LABELS.get(status, status))


def assignment_phase_labels() -> dict:
    """Labels of assignment phases (assignments.PHASES), in the reader's language."""
    return {
        assignments.SCHEDULED: _("派遣予定"),
        assignments.RUNNING: _("派遣中"),
        assignments.OVERDUE: _("期間終了・完了待ち"),
        "completed": _("完了"),
        "ended_early": _("途中終了"),
    }


def decline_label(code: str) -> str:
    """「時間が合わない」 for "hours": the talent's reason for declining, translated."""
    return str(DECLINE_CODES.get(code, code))


def notification_text(notification: Notification) -> str:
    return text_of(notification)


def register(app: Flask) -> None:
    app.jinja_env.filters["jst"] = format_datetime
    app.jinja_env.filters["isodate"] = format_date
    app.jinja_env.filters["fiscal_year_label"] = fiscal.label
    app.jinja_env.filters["group_errors"] = group_errors
    app.jinja_env.filters["notification_text"] = notification_text
    app.jinja_env.globals.update(
        url_with=url_with,
        fiscal_year_of=fiscal.fiscal_year,
        training_program_label=training_program_label,
        training_status_label=training_status_label,
        assignment_phase=assignments.phase,
        assignment_phase_labels=assignment_phase_labels,
        decline_label=decline_label,
        request_state_labels=STATE_LABELS,
    )

    @app.context_processor
    def inject():
        role = current_user.role if current_user.is_authenticated else None
        return {
            "nav_items": nav.items_for(role) if role else [],
            "current_locale": str(get_locale() or "ja"),
            "now_utc": utcnow(),
        }
