"""Search, filters and sort for lists of profiles (the pool and the national list).

Every condition is a WHERE clause on the one list query (skills and training as EXISTS), so a
page costs the same few queries whatever the filters and however large the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, select

from talentpool import sorting
from talentpool.extensions import db
from talentpool.models import (
    Audience,
    Enrollment,
    EnrollmentStatus,
    NationalListEntry,
    Talent,
    TaxonomyTerm,
    TrainingProgram,
)
from talentpool.services.accounts.invitations import talent_login_clause
from talentpool.services.search import with_keywords

SORTS = ("kana", "hours", "updated", "external_id", "kind", "work_style", "active")


@dataclass(frozen=True)
class ProfileFilter:
    """What a list is narrowed to; None means "any". Conditions combine with AND."""

    q: str = ""
    skills: tuple[str, ...] = ()
    kind: str | None = None
    cio_candidate: bool | None = None
    work_style: str | None = None
    min_hours: int | None = None
    active: bool | None = True
    admin_training: bool | None = None  # pool only: completed admin-practice training
    login: str | None = None  # pool only: a services.accounts.invitations.TalentLogin value
    sort: str = "kana"
    #: None: the key's own first direction
    descending: bool | None = None

    def sorting(self, model: type[Talent] | type[NationalListEntry] = Talent) -> sorting.Sort:
        """The sort this filter asks for (unknown keys fall back to "kana")."""
        direction = "" if self.descending is None else ("desc" if self.descending else "asc")
        return sorting.choose(columns(model), self.sort, "kana", direction)


def admin_training_completed():
    """EXISTS clause: the talent completed a training program for talent (行政実務研修)."""
    return exists(
        select(Enrollment.id)
        .join(TrainingProgram, Enrollment.program_id == TrainingProgram.id)
        .where(
            Enrollment.talent_id == Talent.id,
            Enrollment.status == EnrollmentStatus.completed,
            TrainingProgram.audience == Audience.talent,
        )
    )


def apply_filter(
    query: Select, model: type[Talent] | type[NationalListEntry], f: ProfileFilter
) -> Select:
    """Narrow and sort a (tenant-scoped) query of `model`."""
    query = with_keywords(query, f.q, model.search_text)
    for code in f.skills:  # a profile must have every chosen skill
        query = query.where(model.skills.any(TaxonomyTerm.code == code))
    if f.kind:
        query = query.where(model.kind == f.kind)
    if f.cio_candidate is not None:
        query = query.where(model.cio_candidate == f.cio_candidate)
    if f.work_style:
        query = query.where(model.work_style == f.work_style)
    if f.min_hours is not None:
        query = query.where(model.available_hours_per_month >= f.min_hours)
    if f.active is not None:
        query = query.where(model.active == f.active)
    if f.admin_training is not None and model is Talent:
        clause = admin_training_completed()
        query = query.where(clause if f.admin_training else ~clause)
    if f.login is not None and model is Talent:
        query = query.where(talent_login_clause(f.login))
    return query.order_by(*sorting.order(columns(model), f.sorting(model), model.id))


def columns(model: type[Talent] | type[NationalListEntry]) -> dict[str, sorting.Column]:
    """What each sort key of a profile list orders by."""
    return {
        "kana": sorting.Column((model.name_kana, model.name)),
        "hours": sorting.Column((model.available_hours_per_month,), descending_first=True),
        "updated": sorting.Column((model.updated_at,), descending_first=True),
        "external_id": sorting.Column((model.external_id,)),
        "kind": sorting.Column((model.kind, model.name_kana)),
        "work_style": sorting.Column((model.work_style, model.name_kana)),
        "active": sorting.Column((model.active, model.name_kana), descending_first=True),
    }


def trained_ids(talent_ids: list[int]) -> set[int]:
    """Of these talent, the ones who completed admin-practice training (one query)."""
    if not talent_ids:
        return set()
    rows = db.session.scalars(
        select(Enrollment.talent_id)
        .join(TrainingProgram)
        .where(
            Enrollment.talent_id.in_(talent_ids),
            Enrollment.status == EnrollmentStatus.completed,
            TrainingProgram.audience == Audience.talent,
        )
    )
    return set(rows)
