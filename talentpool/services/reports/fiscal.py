"""The figures the national fiscal measures (交付税措置) need, for one prefecture and fiscal year.

(a) prefecture full-time digital staff (kind staff) employed in the year: months employed
    (ordinary allocation tax counts them by head) and their municipal support in the year.
    Staff without an employment start date cannot be counted: they are listed to check
    (`to_check`) and left out of the months, not taken as employed all year;
(b) CIO-assistant appointments: who, where, period, hours, and cost = monthly fee × months
    active in the year (special allocation tax);
(c) DX-leader training per municipality: enrolments started in the year, leaders who completed
    in the year (services.training.progress), cost = cost per person of the enrolments;
(d) recruitment costs charged to the year (voided entries left out).
`talentpool.services.reports.workbook` writes them as a workbook.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    Audience,
    DxLeader,
    Enrollment,
    Municipality,
    Prefecture,
    RecruitmentExpense,
    Talent,
    TalentKind,
    TrainingProgram,
)
from talentpool.services.reports.periods import assignment_end, assignment_in_year
from talentpool.services.training import progress


@dataclass(frozen=True)
class StaffRow:
    name: str
    employment_start: date | None
    employment_end: date | None
    months: int
    municipality_ids: frozenset[int]
    assignments: int
    hours: int
    logged_hours: int


@dataclass(frozen=True)
class CheckRow:
    """A row left out of the figures until someone completes it."""

    sheet: str
    external_id: str | None
    name: str
    reason: str


@dataclass(frozen=True)
class CioRow:
    lg_code: str
    municipality: str
    talent: str
    start: date | None
    end: date | None
    hours_per_month: int
    months: int
    monthly_fee: int | None

    @property
    def hours(self) -> int:
        return self.hours_per_month * self.months

    @property
    def cost(self) -> int | None:
        return None if self.monthly_fee is None else self.monthly_fee * self.months


@dataclass(frozen=True)
class TrainingRow:
    lg_code: str
    municipality: str
    target: int | None
    enrolled: int
    completed: int
    cost: int


@dataclass(frozen=True)
class ExpenseRow:
    spent_on: date
    description: str
    vendor: str
    amount: int
    note: str


@dataclass(frozen=True)
class FiscalReport:
    prefecture: str
    year: int
    staff: list[StaffRow]
    cio: list[CioRow]
    training: list[TrainingRow]
    recruitment: list[ExpenseRow]
    to_check: list[CheckRow]

    @property
    def year_label(self) -> str:
        return fiscal.label(self.year, "ja")  # the workbook is Japanese


def build(prefecture_id: int, year: int) -> FiscalReport:
    """The four tables of the fiscal-measure report."""
    prefecture = db.session.get(Prefecture, prefecture_id)
    return FiscalReport(
        prefecture.name,
        year,
        staff_rows(prefecture_id, year),
        cio_rows(prefecture_id, year),
        training_rows(prefecture_id, year),
        expense_rows(prefecture_id, year),
        staff_without_start(prefecture_id, year),
    )


NO_START = "雇用開始日が未入力のため、在職月数に含めていません。"


def staff_without_start(prefecture_id: int, year: int) -> list[CheckRow]:
    """Staff with no employment start who may be employed in the year (no end before it)."""
    first, _last = fiscal.bounds(year)
    rows = db.session.execute(
        select(Talent.external_id, Talent.name)
        .where(
            Talent.prefecture_id == prefecture_id,
            Talent.kind == TalentKind.staff,
            Talent.employment_start.is_(None),
            (Talent.employment_end.is_(None)) | (Talent.employment_end >= first),
        )
        .order_by(Talent.name_kana, Talent.id)
    )
    return [CheckRow("常勤デジタル人材", external_id, name, NO_START) for external_id, name in rows]


def staff_rows(prefecture_id: int, year: int) -> list[StaffRow]:
    """(a) Staff employed at some time in the year, in name order (those with an employment
    start date; the others are in `staff_without_start`)."""
    first, last = fiscal.bounds(year)
    staff = [
        (t_id, name, start, end, fiscal.months_in_year(start, end, year))
        for t_id, name, start, end in db.session.execute(
            select(Talent.id, Talent.name, Talent.employment_start, Talent.employment_end)
            .where(
                Talent.prefecture_id == prefecture_id,
                Talent.kind == TalentKind.staff,
                Talent.employment_start.is_not(None),
            )
            .order_by(Talent.name_kana, Talent.id)
        )
    ]
    staff = [row for row in staff if row[4] > 0]
    ids = [row[0] for row in staff]
    places: dict[int, set[int]] = defaultdict(set)
    counts: dict[int, int] = defaultdict(int)
    hours: dict[int, int] = defaultdict(int)
    a = Assignment
    for talent_id, municipality_id, start, end, ended_at, number, per_month in db.session.execute(
        select(
            a.talent_id,
            a.municipality_id,
            a.start_date,
            a.end_date,
            a.ended_at,
            func.count(),
            func.sum(a.hours_per_month),
        )
        .where(a.talent_id.in_(ids), assignment_in_year(year))
        .group_by(a.talent_id, a.municipality_id, a.start_date, a.end_date, a.ended_at)
    ):
        months = fiscal.months_in_year(start, assignment_end(end, ended_at), year)
        if months:
            places[talent_id].add(municipality_id)
            counts[talent_id] += number
            hours[talent_id] += int(per_month) * months
    logged = dict(
        db.session.execute(
            select(a.talent_id, func.sum(ActivityLog.hours))
            .join(a, a.id == ActivityLog.assignment_id)
            .where(a.talent_id.in_(ids), ActivityLog.month >= first, ActivityLog.month <= last)
            .group_by(a.talent_id)
        ).all()
    )
    return [
        StaffRow(
            name,
            start,
            end,
            months,
            frozenset(places[t_id]),
            counts[t_id],
            hours[t_id],
            int(logged.get(t_id, 0)),
        )
        for t_id, name, start, end, months in staff
    ]


def cio_rows(prefecture_id: int, year: int) -> list[CioRow]:
    """(b) CIO-assistant assignments active in the year, by municipality code and start."""
    a = Assignment
    rows = db.session.execute(
        select(
            Municipality.lg_code,
            Municipality.name,
            Talent.name,
            a.start_date,
            a.end_date,
            a.ended_at,
            a.hours_per_month,
            a.monthly_fee,
        )
        .join(Municipality, Municipality.id == a.municipality_id)
        .join(Talent, Talent.id == a.talent_id)
        .where(
            a.prefecture_id == prefecture_id, a.cio_assistant.is_(True), assignment_in_year(year)
        )
        .order_by(Municipality.lg_code, a.start_date, a.id)
    )
    out = []
    for code, municipality, talent, start, end, ended_at, per_month, fee in rows:
        end = assignment_end(end, ended_at)
        months = fiscal.months_in_year(start, end, year)
        if months:
            out.append(CioRow(code, municipality, talent, start, end, per_month, months, fee))
    return out


def training_rows(prefecture_id: int, year: int) -> list[TrainingRow]:
    """(c) Municipalities with a DX-leader target, enrolment or completion in the year."""
    first, last = fiscal.bounds(year)
    municipalities = db.session.execute(
        select(Municipality.id, Municipality.lg_code, Municipality.name)
        .where(Municipality.prefecture_id == prefecture_id)
        .order_by(Municipality.lg_code)
    ).all()
    ids = [m_id for m_id, _, _ in municipalities]
    enrolled = {
        m_id: (count, cost)
        for m_id, count, cost in db.session.execute(
            select(
                DxLeader.municipality_id,
                func.count(Enrollment.id),
                func.coalesce(func.sum(TrainingProgram.cost_per_person), 0),
            )
            .join(Enrollment, Enrollment.dx_leader_id == DxLeader.id)
            .join(TrainingProgram, TrainingProgram.id == Enrollment.program_id)
            .where(
                DxLeader.municipality_id.in_(ids),
                TrainingProgram.audience == Audience.dx_leader,
                Enrollment.enrolled_on >= first,
                Enrollment.enrolled_on <= last,
            )
            .group_by(DxLeader.municipality_id)
        )
    }
    completed = progress.completed_counts(ids, year)
    targets = progress.targets(ids, year)
    return [
        TrainingRow(
            code,
            name,
            targets.get(m_id),
            enrolled.get(m_id, (0, 0))[0],
            completed.get(m_id, 0),
            int(enrolled.get(m_id, (0, 0))[1]),
        )
        for m_id, code, name in municipalities
        if m_id in enrolled or m_id in completed or m_id in targets
    ]


def expense_rows(prefecture_id: int, year: int) -> list[ExpenseRow]:
    """(d) Recruitment costs charged to the year, by date."""
    e = RecruitmentExpense
    return [
        ExpenseRow(*row)
        for row in db.session.execute(
            select(e.spent_on, e.description, e.vendor, e.amount, e.note)
            .where(e.prefecture_id == prefecture_id, e.fiscal_year == year, e.void.is_(False))
            .order_by(e.spent_on, e.id)
        )
    ]
