"""Yearly targets of trained DX leaders per municipality, and progress against them.

Progress in fiscal year Y = the distinct DX leaders of the municipality who completed any
dx_leader-audience program with a completion date inside Y (April 1 – March 31, `fiscal.bounds`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import (
    Audience,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    Municipality,
    TrainingProgram,
    TrainingTarget,
)
from talentpool.services.errors import DomainError

MAX_TARGET = 10_000


@dataclass(frozen=True)
class Progress:
    """One municipality's target and progress in one fiscal year."""

    municipality_id: int
    lg_code: str
    name: str
    year: int
    target: int | None
    completed: int
    leaders: int = 0

    @property
    def shortfall(self) -> int:
        """Leaders still to train to reach the target (0 when reached or no target)."""
        return max((self.target or 0) - self.completed, 0)

    @property
    def percent(self) -> int | None:
        """Completed as a share of the target, 0..100 (None without a positive target)."""
        if not self.target:
            return None
        return min(100, self.completed * 100 // self.target)

    @property
    def year_label(self) -> str:
        return fiscal.label(self.year)


def completed_counts(municipality_ids: Iterable[int], year: int) -> dict[int, int]:
    """Distinct leaders per municipality who completed a DX-leader program in fiscal `year`."""
    ids = list(municipality_ids)
    if not ids:
        return {}
    first, last = fiscal.bounds(year)
    rows = db.session.execute(
        select(DxLeader.municipality_id, func.count(distinct(Enrollment.dx_leader_id)))
        .join(Enrollment, Enrollment.dx_leader_id == DxLeader.id)
        .join(TrainingProgram, TrainingProgram.id == Enrollment.program_id)
        .where(
            DxLeader.municipality_id.in_(ids),
            TrainingProgram.audience == Audience.dx_leader,
            Enrollment.status == EnrollmentStatus.completed,
            Enrollment.completed_on >= first,
            Enrollment.completed_on <= last,
        )
        .group_by(DxLeader.municipality_id)
    )
    return dict(rows.all())


def targets(municipality_ids: Iterable[int], year: int) -> dict[int, int]:
    ids = list(municipality_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(TrainingTarget.municipality_id, TrainingTarget.target_count).where(
            TrainingTarget.municipality_id.in_(ids), TrainingTarget.fiscal_year == year
        )
    )
    return dict(rows.all())


def leader_counts(municipality_ids: Iterable[int]) -> dict[int, int]:
    """Active registered leaders per municipality."""
    ids = list(municipality_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(DxLeader.municipality_id, func.count())
        .where(DxLeader.municipality_id.in_(ids), DxLeader.active.is_(True))
        .group_by(DxLeader.municipality_id)
    )
    return dict(rows.all())


def progress_for(municipalities: Iterable[Municipality], year: int) -> list[Progress]:
    """Target and progress of each municipality, in the order given."""
    municipalities = list(municipalities)
    ids = [m.id for m in municipalities]
    done, goal, leaders = completed_counts(ids, year), targets(ids, year), leader_counts(ids)
    return [
        Progress(
            m.id, m.lg_code, m.name, year, goal.get(m.id), done.get(m.id, 0), leaders.get(m.id, 0)
        )
        for m in municipalities
    ]


def shortfall_list(prefecture_id: int, year: int) -> list[Progress]:
    """The prefecture's municipalities with a target or a completion in `year`, furthest
    behind first: by shortfall, then by lower percentage, then by local government code."""
    municipalities = db.session.scalars(
        select(Municipality)
        .where(Municipality.prefecture_id == prefecture_id)
        .order_by(Municipality.lg_code)
    )
    rows = [p for p in progress_for(municipalities, year) if p.target is not None or p.completed]
    return sorted(
        rows, key=lambda p: (-p.shortfall, 101 if p.percent is None else p.percent, p.lg_code)
    )


def municipality_summary(municipality_id: int, year: int | None = None) -> Progress | None:
    """One municipality's progress (the municipal home page shows it)."""
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        return None
    return progress_for([municipality], fiscal.current() if year is None else year)[0]


def set_targets(prefecture_id: int, year: int, counts: Mapping[int, int | None]) -> int:
    """Set (or, with None, remove) targets of the prefecture's municipalities for `year`.

    Returns how many municipalities changed; refuses municipalities of other prefectures.
    """
    _check_year(year)
    ids = set(
        db.session.scalars(
            select(Municipality.id).where(
                Municipality.prefecture_id == prefecture_id, Municipality.id.in_(list(counts))
            )
        )
    )
    if ids != set(counts):
        raise DomainError(_l("対象外の市町村が含まれています。"), "municipality")
    existing = {
        t.municipality_id: t
        for t in db.session.scalars(
            select(TrainingTarget).where(
                TrainingTarget.fiscal_year == year, TrainingTarget.municipality_id.in_(list(ids))
            )
        )
    }
    changed = 0
    for municipality_id, count in counts.items():
        target = existing.get(municipality_id)
        if count is not None and not 0 <= count <= MAX_TARGET:
            raise DomainError(
                _l("目標人数は0以上%(max)d以下で入力してください。", max=MAX_TARGET), "target"
            )
        if count is None:
            if target is not None:
                db.session.delete(target)
                changed += 1
        elif target is None:
            db.session.add(
                TrainingTarget(
                    municipality_id=municipality_id, fiscal_year=year, target_count=count
                )
            )
            changed += 1
        elif target.target_count != count:
            target.target_count = count
            changed += 1
    db.session.flush()
    return changed


def _check_year(year: int) -> None:
    if not 2019 <= year <= 2100:
        raise DomainError(_l("年度が正しくありません。"), "year")


def year_choices(around: int | None = None) -> list[int]:
    """Fiscal years offered in selectors: a few back and one ahead of the current one."""
    now = fiscal.current() if around is None else around
    return list(range(now + 1, max(2019, now - 4) - 1, -1))
