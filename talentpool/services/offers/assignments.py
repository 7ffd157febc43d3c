"""Assignments (派遣): start, complete, end early; monthly activity, fees and ratings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AssignmentState,
    Offer,
    Rating,
    Role,
    SupportRequest,
    User,
    utcnow,
)
from talentpool.services.clock import JST, today
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.notifications import notify, officers_of, path_for
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.requests.support_requests import refresh_fill_state, seats_taken

#: Yen per month; far above any real fee, and within the database's 32-bit integer.
MAX_MONTHLY_FEE = 100_000_000
ENDED = (AssignmentState.completed, AssignmentState.ended_early)


def _update_request_state(req: SupportRequest) -> None:
    """Let the request follow its seats (and the calendar): the requests service's rule."""
    refresh_fill_state(req, seats_taken(req))


#: Where an assignment stands on a given day: its stored state, with "active" split by the
#: calendar into not started yet, running, and past its end date (waiting to be completed).
SCHEDULED, RUNNING, OVERDUE = "scheduled", "active", "overdue"
PHASES = (SCHEDULED, RUNNING, OVERDUE, AssignmentState.completed, AssignmentState.ended_early)


def phase(assignment: Assignment, on: date | None = None) -> str:
    """scheduled / active / overdue for an active assignment, else its stored state."""
    if assignment.state != AssignmentState.active:
        return assignment.state
    day = on or today()
    if assignment.start_date is not None and assignment.start_date > day:
        return SCHEDULED
    if assignment.end_date is not None and assignment.end_date < day:
        return OVERDUE
    return RUNNING


def in_phase(name: str, on: date | None = None) -> ColumnElement[bool]:
    """WHERE clause for assignments in a phase (see `phase`)."""
    day = on or today()
    a = Assignment
    active = a.state == AssignmentState.active
    if name == SCHEDULED:
        return active & (a.start_date > day)
    if name == OVERDUE:
        return active & (a.end_date < day)
    if name == RUNNING:
        return (
            active
            & (a.start_date.is_(None) | (a.start_date <= day))
            & (a.end_date.is_(None) | (a.end_date >= day))
        )
    return a.state == name


def params_of(assignment: Assignment, **extra) -> dict:
    """What a notice about this assignment says (plain JSON values)."""
    return {
        "title": assignment.request.title,
        "municipality": assignment.municipality.name,
        "talent": assignment.talent.name,
        "hours": assignment.hours_per_month,
        **extra,
    }


def _people(assignment: Assignment) -> list[User | None]:
    """Who hears about an assignment: the talent, the coordinator who offered, the officers."""
    return [
        assignment.talent.user,
        assignment.offer.sent_by,
        *officers_of(assignment.municipality_id),
    ]


def _link(assignment: Assignment) -> str:
    return path_for("offers.assignment_detail", assignment_id=assignment.id)


def start_assignment(offer: Offer) -> Assignment:
    """Turn an accepted offer into an active assignment (capacity already checked by the caller)."""
    req = offer.request
    assignment = Assignment(
        offer=offer,
        prefecture_id=offer.prefecture_id,
        municipality_id=req.municipality_id,
        request_id=req.id,
        talent_id=offer.talent_id,
        hours_per_month=offer.hours_per_month,
        start_date=offer.start_date,
        end_date=offer.end_date,
        state=AssignmentState.active,
        cio_assistant=req.wants_cio,
        request=req,
        talent=offer.talent,
    )
    db.session.add(assignment)
    db.session.flush()
    _update_request_state(req)
    if phase(assignment) == SCHEDULED:
        notify(
            _people(assignment),
            "assignment_confirmed",
            params_of(assignment, start=assignment.start_date.isoformat()),
            _link(assignment),
        )
    else:
        _notify_started(assignment)
    return assignment


def _notify_started(assignment: Assignment) -> int:
    return len(
        notify(
            _people(assignment),
            "assignment_started",
            params_of(assignment),
            _link(assignment),
            key=f"assignment_started:{assignment.id}",
        )
    )


def _ensure_coordinator(user: User, assignment: Assignment) -> None:
    if user.role != Role.coordinator or user.prefecture_id != assignment.prefecture_id:
        raise NotAllowed(_l("この派遣を変更する権限がありません。"))


def _end(user: User, assignment: Assignment, state: AssignmentState, reason: str = "") -> None:
    _ensure_coordinator(user, assignment)
    if assignment.state != AssignmentState.active:
        raise DomainError(_l("この派遣は既に終了しています。"))
    assignment.state = state
    assignment.end_reason = reason
    assignment.ended_at = utcnow()
    assignment.ended_by_id = user.id
    db.session.flush()
    _update_request_state(assignment.request)
    notify(
        _people(assignment),
        f"assignment_{state}",
        params_of(assignment, reason=reason),
        _link(assignment),
    )


def complete_assignment(coordinator: User, assignment: Assignment) -> None:
    """The coordinator marks the support done; the talent's hours are free again."""
    _end(coordinator, assignment, AssignmentState.completed)


def end_assignment_early(coordinator: User, assignment: Assignment, reason: str) -> None:
    """End before the planned end, saying why; the request gets its seat back."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_l("途中終了の理由を入力してください。"), "reason")
    _end(coordinator, assignment, AssignmentState.ended_early, reason)


def set_monthly_fee(coordinator: User, assignment: Assignment, fee: int | None) -> None:
    """Record the monthly fee in yen (None: unpaid or unknown) for the fiscal report."""
    _ensure_coordinator(coordinator, assignment)
    if fee is not None and not 0 <= fee <= MAX_MONTHLY_FEE:
        raise DomainError(
            _l("月額報酬は0〜%(max)s円で入力してください。", max=f"{MAX_MONTHLY_FEE:,}"),
            "monthly_fee",
        )
    assignment.monthly_fee = fee


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def months_open_for_activity(assignment: Assignment, on: date | None = None) -> list[date]:
    """Months (first days) the talent may log: within the period, from its start on, and not
    in the future (none before the assignment starts)."""
    day = on or today()
    if assignment.start_date is not None and assignment.start_date > day:
        return []
    this_month = first_of_month(day)
    first = first_of_month(assignment.start_date or assignment.created_at.date())
    last = (
        min(first_of_month(assignment.end_date), this_month) if assignment.end_date else this_month
    )
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = first_of_month(month + timedelta(days=32))
    return months


def log_activity(
    user: User, assignment: Assignment, month: date, hours: int, note: str
) -> ActivityLog:
    """Record or correct one month's hours and notes (the talent, while still active)."""
    if user.role != Role.talent or assignment.talent.user_id != user.id:
        raise NotAllowed(_l("活動記録を入力できるのは派遣されている本人だけです。"))
    if assignment.state != AssignmentState.active:
        raise DomainError(_l("終了した派遣の活動記録は変更できません。"))
    month = first_of_month(month)
    if phase(assignment) == SCHEDULED:
        raise DomainError(
            _l(
                "派遣の開始日(%(date)s)から記録できます。",
                date=assignment.start_date.isoformat(),
            ),
            "month",
        )
    if month not in months_open_for_activity(assignment):
        raise DomainError(_l("派遣期間内の、今月までの月を選んでください。"), "month")
    if hours is None or not 0 <= hours <= MAX_HOURS_PER_MONTH:
        raise DomainError(
            _l("時間は0〜%(max)d時間で入力してください。", max=MAX_HOURS_PER_MONTH), "hours"
        )
    entry = db.session.scalar(
        select(ActivityLog).where(
            ActivityLog.assignment_id == assignment.id, ActivityLog.month == month
        )
    )
    if entry is None:
        entry = ActivityLog(assignment_id=assignment.id, month=month)
        db.session.add(entry)
    entry.hours = hours
    entry.note = note.strip()
    db.session.flush()
    return entry


def rate_assignment(officer: User, assignment: Assignment, score: int, comment: str) -> Rating:
    """The municipality rates finished support, once."""
    if (
        officer.role != Role.municipal_officer
        or officer.municipality_id != assignment.municipality_id
    ):
        raise NotAllowed(_l("評価できるのは派遣先の市町村担当者だけです。"))
    if assignment.state not in ENDED:
        raise DomainError(_l("評価は派遣の終了後にできます。"))
    if assignment.rating is not None:
        raise DomainError(_l("この派遣は既に評価済みです。"))
    if score not in range(1, 6):
        raise DomainError(_l("評価は1〜5で選んでください。"), "score")
    rating = Rating(
        assignment_id=assignment.id, score=score, comment=comment.strip(), rated_by_id=officer.id
    )
    db.session.add(rating)
    db.session.flush()
    db.session.refresh(assignment)
    return rating


def remind_missing_activity(on: date | None = None) -> int:
    """Notify talent whose active assignment has no activity log for last month (once each)."""
    this_month = first_of_month(on or today())
    last_month = first_of_month(this_month - timedelta(days=1))
    candidates = db.session.scalars(
        select(Assignment)
        .where(
            Assignment.state == AssignmentState.active,
            Assignment.created_at < datetime.combine(this_month, datetime.min.time()),
            (Assignment.start_date.is_(None)) | (Assignment.start_date < this_month),
            (Assignment.end_date.is_(None)) | (Assignment.end_date >= last_month),
        )
        .order_by(Assignment.id)
    )
    sent = 0
    for assignment in candidates:
        if any(entry.month == last_month for entry in assignment.activity):
            continue
        sent += len(
            notify(
                [assignment.talent.user],
                "activity_missing",
                params_of(assignment, month=last_month.strftime("%Y-%m")),
                _link(assignment),
                key=f"activity_missing:{assignment.id}:{last_month.isoformat()}",
            )
        )
    return sent


def complete_many(coordinator: User, ids: list[int]) -> list[Assignment]:
    """Complete several active assignments of the coordinator's prefecture at once (all or
    nothing: one that is no longer active refuses the lot, naming it)."""
    found = db.session.scalars(
        select(Assignment)
        .where(Assignment.id.in_(ids), Assignment.prefecture_id == coordinator.prefecture_id)
        .order_by(Assignment.id)
    ).all()
    if not found:
        raise DomainError(_l("完了にする派遣を選んでください。"), "ids")
    if len(found) != len(set(ids)):
        raise DomainError(_l("選んだ派遣の一部が見つかりません。画面を更新してください。"), "ids")
    for assignment in found:
        if assignment.state != AssignmentState.active:
            raise DomainError(
                _l(
                    "%(talent)sさんの「%(title)s」は既に終了しています。画面を更新してください。",
                    talent=assignment.talent.name,
                    title=assignment.request.title,
                )
            )
        complete_assignment(coordinator, assignment)
    return list(found)


def notify_started(on: date | None = None) -> int:
    """Tell those concerned that an assignment accepted before its start has now started
    (once each: an assignment accepted after its start was announced at acceptance)."""
    day = on or today()
    started = db.session.scalars(
        select(Assignment)
        .where(
            in_phase(RUNNING, day),
            Assignment.start_date.is_not(None),
            Assignment.start_date >= day - timedelta(days=31),
        )
        .order_by(Assignment.id)
    )
    # accepted after its start: announced at acceptance already
    return sum(_notify_started(a) for a in started if a.start_date > (a.created_at + JST).date())


def notify_overdue(on: date | None = None) -> int:
    """Ask the coordinator who offered each assignment past its end date to complete it
    (once per assignment and end date)."""
    sent = 0
    for assignment in db.session.scalars(
        select(Assignment).where(in_phase(OVERDUE, on)).order_by(Assignment.id)
    ):
        sent += len(
            notify(
                [assignment.offer.sent_by],
                "assignment_overdue",
                params_of(assignment, end_date=assignment.end_date.isoformat()),
                path_for("offers.overdue"),
                key=f"assignment_overdue:{assignment.id}:{assignment.end_date.isoformat()}",
            )
        )
    return sent
