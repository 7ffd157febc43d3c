"""Training programs, DX promotion leaders, enrolments and yearly targets."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.base import Base, LabelledEnum, utcnow
from talentpool.models.region import Municipality, Prefecture
from talentpool.models.talent import Talent


class Audience(LabelledEnum):
    dx_leader = "dx_leader", _l("DX推進リーダー")
    talent = "talent", _l("デジタル人材")


class EnrollmentStatus(LabelledEnum):
    enrolled = "enrolled", _l("受講中")
    completed = "completed", _l("修了")
    withdrawn = "withdrawn", _l("辞退")


class TrainingProgram(Base):
    __tablename__ = "training_program"
    __table_args__ = (UniqueConstraint("prefecture_id", "name", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for the nationally named programs every prefecture sees.
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(20), default="")
    hours: Mapped[int | None]
    fiscal_year: Mapped[int | None]
    cost_per_person: Mapped[int | None]
    audience: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    prefecture: Mapped[Prefecture | None] = relationship()


class DxLeader(Base):
    """A municipal staff member trained to drive DX (needs no login)."""

    __tablename__ = "dx_leader"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship()


class Enrollment(Base):
    """One person's record in one training program: a DX leader or a talent."""

    __tablename__ = "enrollment"
    __table_args__ = (
        CheckConstraint("(dx_leader_id IS NULL) != (talent_id IS NULL)", name="exactly_one_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("training_program.id"), index=True)
    dx_leader_id: Mapped[int | None] = mapped_column(ForeignKey("dx_leader.id"), index=True)
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talent.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.enrolled)
    enrolled_on: Mapped[date | None]
    completed_on: Mapped[date | None] = mapped_column(index=True)
    certificate_number: Mapped[str | None] = mapped_column(String(64))
    withdrawn_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    program: Mapped[TrainingProgram] = relationship()
    dx_leader: Mapped[DxLeader | None] = relationship()
    talent: Mapped[Talent | None] = relationship()


class TrainingTarget(Base):
    """How many DX leaders a municipality aims to have trained in a fiscal year."""

    __tablename__ = "training_target"
    __table_args__ = (
        UniqueConstraint("municipality_id", "fiscal_year"),
        CheckConstraint("target_count >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    fiscal_year: Mapped[int]
    target_count: Mapped[int]

    municipality: Mapped[Municipality] = relationship()
