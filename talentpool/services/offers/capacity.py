"""Capacity: a talent's reserved hours and a request's headcount, counted under row locks.

Reserved hours of a talent = the sum of hours of their active assignments (an accepted offer
becomes an assignment at once). They never exceed Talent.available_hours_per_month, and a
request never has more active assignments than its headcount.

Why row locks: two accepts arriving together would each count the other's assignment as not
there yet. On PostgreSQL every writer of capacity first takes `SELECT … FOR UPDATE` on the
rows it depends on — always the request before the talent, so two writers never wait on each
other in a cycle — and counts only after it holds them. SQLite runs one writer at a time and
its transactions are serializable, so there the later writer fails instead of overbooking.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Assignment, AssignmentState, SupportRequest, Talent
from talentpool.services.errors import DomainError

#: Hours in the longest month (31 days × 24 h): no availability, request or assignment asks
#: for more.
MAX_HOURS_PER_MONTH = 744


def reserved_hours(talent_id: int) -> int:
    """Hours per month the talent has on active assignments."""
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(Assignment.hours_per_month), 0)).where(
                Assignment.talent_id == talent_id, Assignment.state == AssignmentState.active
            )
        )
        or 0
    )


def reserved_hours_by_talent(talent_ids: list[int]) -> dict[int, int]:
    """Reserved hours of many talent in one query (talent with none are left out)."""
    if not talent_ids:
        return {}
    rows = db.session.execute(
        select(Assignment.talent_id, func.sum(Assignment.hours_per_month))
        .where(Assignment.talent_id.in_(talent_ids), Assignment.state == AssignmentState.active)
        .group_by(Assignment.talent_id)
    )
    return {talent_id: int(hours) for talent_id, hours in rows}


def active_assignment_count(request_id: int) -> int:
    """How many active assignments a request has."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.request_id == request_id, Assignment.state == AssignmentState.active)
        )
        or 0
    )


def free_hours(talent: Talent) -> int:
    """Hours per month still free (never negative, even for legacy data)."""
    return max(talent.available_hours_per_month - reserved_hours(talent.id), 0)


def lock_request_and_talent(request_id: int | None, talent_id: int | None) -> None:
    """Take the row locks capacity depends on, request first (the fixed order)."""
    if request_id is not None:
        _lock(SupportRequest, request_id)
    if talent_id is not None:
        _lock(Talent, talent_id)


def lock_for_sending(prefecture_id: int, request_ids, talent_ids) -> None:
    """Lock the requests and talent a send involves, in the same fixed order as an accept
    (requests before talent, each by id), so two sends — or a send and an accept — touching
    the same rows run one after the other and each checks what the other committed."""
    for model, ids in ((SupportRequest, request_ids), (Talent, talent_ids)):
        db.session.execute(
            select(model)
            .where(model.id.in_(sorted(set(ids))), model.prefecture_id == prefecture_id)
            .order_by(model.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )


def _lock(model, row_id: int) -> None:
    # populate_existing: the locked read refreshes the identity map, so the caller
    # sees the values as of the lock, not as first loaded.
    db.session.execute(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def check_accept(support_request: SupportRequest, talent: Talent, hours: int) -> None:
    """Refuse an accept that would overbook the talent or the request (call under locks)."""
    if active_assignment_count(support_request.id) >= support_request.headcount:
        raise DomainError(
            _l(
                "この支援依頼は必要人数(%(n)d人)が既に決まっているため、受諾できません。",
                n=support_request.headcount,
            )
        )
    reserved = reserved_hours(talent.id)
    if reserved + hours > talent.available_hours_per_month:
        raise DomainError(
            _l(
                "稼働可能時間を超えるため受諾できません(月%(available)d時間のうち%(reserved)d時間が"
                "確定済みで、この打診は月%(hours)d時間です)。",
                available=talent.available_hours_per_month,
                reserved=reserved,
                hours=hours,
            )
        )


def check_available_hours(talent: Talent, new_hours: int) -> None:
    """Refuse lowering a talent's available hours below what active assignments reserve.

    Locks the talent row first, so an accept cannot slip in between the check and the caller's
    update (which must happen in the same transaction).
    """
    if new_hours < 0:
        raise DomainError(_l("稼働可能時間は0以上にしてください。"), "available_hours_per_month")
    lock_request_and_talent(None, talent.id)
    reserved = reserved_hours(talent.id)
    if new_hours < reserved:
        raise DomainError(
            _l(
                "稼働可能時間を月%(new)d時間にはできません。確定済みの派遣で月%(reserved)d時間が"
                "予約されています。先に派遣を終了するか、%(reserved)d時間以上にしてください。",
                new=new_hours,
                reserved=reserved,
            ),
            "available_hours_per_month",
        )
