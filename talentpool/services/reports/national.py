"""The national overview: every prefecture's aggregate progress side by side, no personal data.

Only counts and sums leave this module — no names, contacts or ids of talent or leaders.
Definitions for fiscal year Y (see `periods`): pool = active talent now, by kind; requests =
posted requests in Y; fill rate = people assigned (active or completed, at most the headcount
of each request) over people requested; hours supplied = assignment hours in Y; municipalities
reached = those with an assignment in Y; DX leaders trained = training.progress completions in
Y against the sum of the municipalities' targets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields

from sqlalchemy import case, distinct, func, select

from talentpool.extensions import db
from talentpool.models import Assignment, Municipality, Prefecture, SupportRequest, Talent
from talentpool.services.reports.periods import (
    POSTED,
    SEATED,
    assignment_in_year,
    hours_in_year,
    request_in_year,
)
from talentpool.services.training import progress


@dataclass(frozen=True)
class PrefectureRow:
    code: str
    name: str
    staff: int
    external: int
    company: int
    cio_candidates: int
    requests: int
    seats: int
    seats_filled: int
    hours: int
    municipalities_reached: int
    municipalities: int
    leaders_trained: int
    leader_target: int

    @property
    def pool(self) -> int:
        return self.staff + self.external + self.company

    @property
    def fill_rate(self) -> float | None:
        """Percent of requested people assigned (None without requests)."""
        return round(self.seats_filled * 100 / self.seats, 1) if self.seats else None

    @property
    def reach_rate(self) -> float:
        return (
            round(self.municipalities_reached * 100 / self.municipalities, 1)
            if self.municipalities
            else 0.0
        )


#: Columns the overview can be sorted by (dataclass fields and the derived rates).
SORT_KEYS = (*(f.name for f in fields(PrefectureRow)), "pool", "fill_rate", "reach_rate")


def build(year: int) -> list[PrefectureRow]:
    """One row per prefecture, in prefecture-code order."""
    t, r, a, m = Talent, SupportRequest, Assignment, Municipality

    def kind_count(kind: str):
        return func.sum(case((t.kind == kind, 1), else_=0))

    pool = {
        p: row
        for p, *row in db.session.execute(
            select(
                t.prefecture_id,
                kind_count("staff"),
                kind_count("external"),
                kind_count("company"),
                func.sum(case((t.cio_candidate.is_(True), 1), else_=0)),
            )
            .where(t.active.is_(True), t.anonymized_at.is_(None))
            .group_by(t.prefecture_id)
        )
    }

    seated = (
        select(a.request_id, func.count().label("n"))
        .where(a.state.in_(SEATED))
        .group_by(a.request_id)
        .subquery()
    )
    filled = func.coalesce(seated.c.n, 0)
    asked = {
        p: row
        for p, *row in db.session.execute(
            select(
                r.prefecture_id,
                func.count(r.id),
                func.sum(r.headcount),
                func.sum(case((filled > r.headcount, r.headcount), else_=filled)),
            )
            .outerjoin(seated, seated.c.request_id == r.id)
            .where(r.state.in_(POSTED), request_in_year(year))
            .group_by(r.prefecture_id)
        )
    }

    hours = hours_in_year(
        db.session.execute(
            select(
                a.prefecture_id, a.start_date, a.end_date, a.ended_at, func.sum(a.hours_per_month)
            )
            .where(assignment_in_year(year))
            .group_by(a.prefecture_id, a.start_date, a.end_date, a.ended_at)
        ),
        year,
    )
    reached = dict(
        db.session.execute(
            select(a.prefecture_id, func.count(distinct(a.municipality_id)))
            .where(assignment_in_year(year))
            .group_by(a.prefecture_id)
        ).all()
    )

    prefecture_of = dict(db.session.execute(select(m.id, m.prefecture_id)).all())
    municipalities: dict[int, int] = defaultdict(int)
    trained: dict[int, int] = defaultdict(int)
    target: dict[int, int] = defaultdict(int)
    for p_id in prefecture_of.values():
        municipalities[p_id] += 1
    for m_id, count in progress.completed_counts(prefecture_of, year).items():
        trained[prefecture_of[m_id]] += count
    for m_id, count in progress.targets(prefecture_of, year).items():
        target[prefecture_of[m_id]] += count

    rows = []
    for p_id, code, name in db.session.execute(
        select(Prefecture.id, Prefecture.code, Prefecture.name).order_by(Prefecture.code)
    ):
        staff, external, company, cio = (int(v or 0) for v in pool.get(p_id, (0, 0, 0, 0)))
        requests, seats, seats_filled = (int(v or 0) for v in asked.get(p_id, (0, 0, 0)))
        rows.append(
            PrefectureRow(
                code,
                name,
                staff,
                external,
                company,
                cio,
                requests,
                seats,
                seats_filled,
                hours.get(p_id, 0),
                reached.get(p_id, 0),
                municipalities[p_id],
                trained[p_id],
                target[p_id],
            )
        )
    return rows


def sort_rows(rows: list[PrefectureRow], key: str, descending: bool) -> list[PrefectureRow]:
    """Rows sorted by one of SORT_KEYS (unknown keys: prefecture code); None sorts last."""
    if key not in SORT_KEYS:
        key = "code"
    rows = sorted(rows, key=lambda row: row.code)
    present = [row for row in rows if getattr(row, key) is not None]
    missing = [row for row in rows if getattr(row, key) is None]
    # sorted() is stable also in reverse, so ties stay in prefecture-code order
    return sorted(present, key=lambda row: getattr(row, key), reverse=descending) + missing
