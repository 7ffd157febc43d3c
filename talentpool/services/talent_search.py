"""Search, filters and sort for lists of profiles (the pool and the national list).

Every condition is a WHERE clause on the one list query (skills and training as EXISTS), so a
page costs the same few queries whatever the filters and however large the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, select

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
from talentpool.services.invitations import talent_login_clause
from talentpool.text import search_key

SORTS = ("kana", "hours", "updated", "external_id")


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
    login: str | None = None  # pool only: a services.invitations.TalentLogin value
    sort: str = "kana"


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
    for word in search_key(f.q).split():
        query = query.where(model.search_text.contains(word, autoescape=True))
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
    return query.order_by(*_order(model, f.sort))


def _order(model, sort: str):
    if sort == "hours":
        return model.available_hours_per_month.desc(), model.name_kana, model.id
    if sort == "updated":
        return model.updated_at.desc(), model.id.desc()
    if sort == "external_id":
        return model.external_id, model.id
    return model.name_kana, model.name, model.id


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
