"""Talent in a prefecture's pool, and the national list prefectures draw from."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.account import User
from talentpool.models.base import Base, LabelledEnum, link_table, utcnow
from talentpool.models.region import Municipality, Prefecture
from talentpool.models.taxonomy import TaxonomyTerm


class TalentKind(LabelledEnum):
    staff = "staff", _l("常勤職員(都道府県が雇用)")
    external = "external", _l("外部人材")
    company = "company", _l("企業")


class WorkStyle(LabelledEnum):
    onsite = "onsite", _l("現地")
    remote = "remote", _l("リモート")
    hybrid = "hybrid", _l("併用")


class ExternalRole(LabelledEnum):
    producer = "producer", _l("プロデューサー(CIO補佐官等)")
    project_manager = "project_manager", _l("プロジェクトマネージャー")
    service_designer = "service_designer", _l("サービスデザイナー")
    engineer = "engineer", _l("エンジニア")


talent_skill = link_table(
    "talent_skill", ("talent_id", "talent.id"), ("term_code", "taxonomy_term.code")
)

#: Municipalities a talent limits their service to (none: the whole prefecture).
talent_area = link_table(
    "talent_area", ("talent_id", "talent.id"), ("municipality_id", "municipality.id")
)

national_entry_skill = link_table(
    "national_entry_skill",
    ("entry_id", "national_list_entry.id"),
    ("term_code", "taxonomy_term.code"),
)


class ProfileFields:
    """Columns a pool profile and a national-list entry share."""

    name: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(10), index=True)
    cio_candidate: Mapped[bool] = mapped_column(default=False, index=True)
    external_role: Mapped[str | None] = mapped_column(String(20))
    experience: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[str] = mapped_column(Text, default="")
    available_hours_per_month: Mapped[int] = mapped_column(default=0, index=True)
    work_style: Mapped[str] = mapped_column(String(10), default=WorkStyle.hybrid, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True, index=True)
    #: NFKC-normalised, casefolded name + kana + experience + qualifications, for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Talent(ProfileFields, Base):
    __tablename__ = "talent"
    __repr_attrs__ = ("id", "name")
    __table_args__ = (
        UniqueConstraint("prefecture_id", "external_id"),
        CheckConstraint("available_hours_per_month >= 0", name="hours_not_negative"),
        # the pool list: one prefecture, in ふりがな order (bench/pool_list.py)
        Index("ix_talent_prefecture_id_name_kana", "prefecture_id", "name_kana"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    employment_start: Mapped[date | None]
    employment_end: Mapped[date | None]
    source_entry_id: Mapped[int | None] = mapped_column(ForeignKey("national_list_entry.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    anonymized_at: Mapped[datetime | None]

    prefecture: Mapped[Prefecture] = relationship()
    skills: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=talent_skill, order_by=TaxonomyTerm.position
    )
    areas: Mapped[list[Municipality]] = relationship(
        secondary=talent_area, order_by=Municipality.lg_code
    )
    user: Mapped[User | None] = relationship()
    source_entry: Mapped[NationalListEntry | None] = relationship()


class NationalListEntry(ProfileFields, Base):
    """An entry of the national list of digital talent and companies (国のリスト)."""

    __tablename__ = "national_list_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    skills: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=national_entry_skill, order_by=TaxonomyTerm.position
    )


class TalentTextIndex(Base):
    """The matcher's stored word analysis of a talent's text (derived data).

    Written whenever a talent's experience or qualifications change, and read by the
    ranking and the plan so they need not analyse the pool's texts on every page.
    ``text_hash`` and ``version`` tell whether it still fits the text and the analyser;
    an entry that does not is rebuilt on demand, never used.
    """

    __tablename__ = "talent_text_index"

    talent_id: Mapped[int] = mapped_column(
        ForeignKey("talent.id", ondelete="CASCADE"), primary_key=True
    )
    text_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(40))
    #: One line per sentence, content words separated by spaces.
    terms: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
