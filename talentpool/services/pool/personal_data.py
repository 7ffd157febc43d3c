"""A talent's own data, as they may download it (個人情報の開示): one section per kind of record.

`collect` gathers everything the pool holds about one talent — profile, skills, areas, login
account, offers, assignments with their monthly activity and rating, training — as plain
values; `as_json` and `as_xlsx` write it (one sheet per section).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import ActivityLog, Assignment, Enrollment, Offer, Talent, utcnow
from talentpool.tabular import write_workbook

Section = list[dict[str, Any]]

#: Section key → sheet title (the JSON keeps the keys).
SECTION_TITLES = {
    "profile": _l("プロフィール"),
    "skills": _l("スキル"),
    "areas": _l("対応地域"),
    "account": _l("アカウント"),
    "offers": _l("打診"),
    "assignments": _l("派遣"),
    "activity_logs": _l("活動記録"),
    "training": _l("研修"),
}


def _profile(talent: Talent) -> Section:
    return [
        {
            "id": talent.id,
            "prefecture": talent.prefecture.name,
            "external_id": talent.external_id,
            "name": talent.name,
            "name_kana": talent.name_kana,
            "kind": talent.kind,
            "cio_candidate": talent.cio_candidate,
            "external_role": talent.external_role,
            "experience": talent.experience,
            "qualifications": talent.qualifications,
            "available_hours_per_month": talent.available_hours_per_month,
            "work_style": talent.work_style,
            "email": talent.email,
            "phone": talent.phone,
            "active": talent.active,
            "employment_start": talent.employment_start,
            "employment_end": talent.employment_end,
            "created_at": talent.created_at,
            "updated_at": talent.updated_at,
        }
    ]


def _account(talent: Talent) -> Section:
    user = talent.user
    if user is None:
        return []
    return [
        {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "locale": user.locale,
            "created_at": user.created_at,
            "last_login_at": user.last_login_at,
        }
    ]


def _records(kind: type[Offer | Assignment | Enrollment], talent_id: int, *loads) -> list:
    """The talent's records of one kind, oldest first, with what their section reads loaded."""
    query = select(kind).where(kind.talent_id == talent_id).options(*loads).order_by(kind.id)
    return list(db.session.scalars(query))


def _offers(talent_id: int) -> Section:
    rows = _records(Offer, talent_id, selectinload(Offer.request))
    return [
        {
            "id": o.id,
            "request": o.request.title,
            "municipality": o.request.municipality.name,
            "hours_per_month": o.hours_per_month,
            "start_date": o.start_date,
            "end_date": o.end_date,
            "message": o.message,
            "reply_by": o.reply_by,
            "state": o.state,
            "decline_reason": o.decline_reason,
            "sent_at": o.sent_at,
            "decided_at": o.decided_at,
        }
        for o in rows
    ]


def _assignment_rows(items: list[Assignment]) -> Section:
    return [
        {
            "id": a.id,
            "offer_id": a.offer_id,
            "request": a.request.title,
            "municipality": a.municipality.name,
            "hours_per_month": a.hours_per_month,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "state": a.state,
            "end_reason": a.end_reason,
            "monthly_fee": a.monthly_fee,
            "rating_score": a.rating.score if a.rating else None,
            "rating_comment": a.rating.comment if a.rating else None,
        }
        for a in items
    ]


def _activity_rows(items: list[Assignment]) -> Section:
    logs: list[ActivityLog] = [log for a in items for log in a.activity]
    return [
        {
            "assignment_id": log.assignment_id,
            "month": log.month,
            "hours": log.hours,
            "note": log.note,
            "updated_at": log.updated_at,
        }
        for log in logs
    ]


def _training(talent_id: int) -> Section:
    rows = _records(Enrollment, talent_id, selectinload(Enrollment.program))
    return [
        {
            "program": e.program.name,
            "status": e.status,
            "enrolled_on": e.enrolled_on,
            "completed_on": e.completed_on,
            "certificate_number": e.certificate_number,
            "withdrawn_on": e.withdrawn_on,
        }
        for e in rows
    ]


def collect(talent: Talent) -> dict[str, Section]:
    """Every record the pool keeps about `talent`, by section (see SECTION_TITLES)."""
    assignments = _records(
        Assignment, talent.id, selectinload(Assignment.activity), selectinload(Assignment.rating)
    )
    return {
        "profile": _profile(talent),
        "skills": [{"code": t.code, "label": t.label_ja} for t in talent.skills],
        "areas": [{"lg_code": m.lg_code, "name": m.name} for m in talent.areas],
        "account": _account(talent),
        "offers": _offers(talent.id),
        "assignments": _assignment_rows(assignments),
        "activity_logs": _activity_rows(assignments),
        "training": _training(talent.id),
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def as_json(data: dict[str, Section]) -> bytes:
    """UTF-8 JSON with the export time; dates as ISO 8601 text."""
    document = {
        "exported_at": utcnow().isoformat() + "Z",
        **{
            key: [{k: _plain(v) for k, v in row.items()} for row in rows]
            for key, rows in data.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def as_xlsx(data: dict[str, Section]) -> bytes:
    """One sheet per section; an empty section still has its sheet (with a header when known)."""
    sheets = []
    for key, rows in data.items():
        header = list(rows[0]) if rows else [str(_l("(なし)"))]
        sheets.append((str(SECTION_TITLES[key]), header, [list(row.values()) for row in rows]))
    return write_workbook(sheets)
