"""A talent's history in the pool: offers, assignments, hours logged and ratings (the
profile's 支援・派遣 section, for the coordinator and for the talent themselves). Three
queries whatever the length of the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import ActivityLog, Assignment, Offer, SupportRequest


@dataclass(frozen=True)
class AssignmentLine:
    assignment: Assignment
    hours_logged: int
    months_logged: int


@dataclass(frozen=True)
class History:
    offers: list[Offer] = field(default_factory=list)
    assignments: list[AssignmentLine] = field(default_factory=list)

    @property
    def hours_logged(self) -> int:
        return sum(line.hours_logged for line in self.assignments)

    @property
    def average_rating(self) -> float | None:
        scores = [
            line.assignment.rating.score for line in self.assignments if line.assignment.rating
        ]
        return round(sum(scores) / len(scores), 1) if scores else None


def history_of(talent_id: int) -> History:
    """Every offer and assignment of one talent, newest first, with the hours logged."""
    offers = db.session.scalars(
        select(Offer)
        .where(Offer.talent_id == talent_id)
        .options(selectinload(Offer.request).selectinload(SupportRequest.municipality))
        .order_by(Offer.sent_at.desc(), Offer.id.desc())
    ).all()
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.talent_id == talent_id)
        .options(
            selectinload(Assignment.request),
            selectinload(Assignment.municipality),
            selectinload(Assignment.rating),
        )
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
    ).all()
    logged = {
        assignment_id: (hours, months)
        for assignment_id, hours, months in db.session.execute(
            select(ActivityLog.assignment_id, func.sum(ActivityLog.hours), func.count())
            .join(Assignment, Assignment.id == ActivityLog.assignment_id)
            .where(Assignment.talent_id == talent_id)
            .group_by(ActivityLog.assignment_id)
        )
    }
    return History(
        offers=list(offers),
        assignments=[
            AssignmentLine(a, int(logged.get(a.id, (0, 0))[0] or 0), logged.get(a.id, (0, 0))[1])
            for a in assignments
        ],
    )
