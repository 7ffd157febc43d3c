"""Users, their roles and scopes, and invitations."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.base import Base, LabelledEnum, utcnow
from talentpool.models.region import Municipality, Prefecture


class Role(LabelledEnum):
    national_admin = "national_admin"
    coordinator = "coordinator"
    municipal_officer = "municipal_officer"
    talent = "talent"
    __labels__ = {
        "national_admin": _l("国の管理者"),
        "coordinator": _l("都道府県担当者"),
        "municipal_officer": _l("市町村担当者"),
        "talent": _l("デジタル人材"),
    }


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role != 'coordinator' OR prefecture_id IS NOT NULL", name="coordinator_scope"
        ),
        CheckConstraint(
            "role != 'municipal_officer' OR municipality_id IS NOT NULL", name="officer_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    #: Bumped on logout and password change so every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=0)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    prefecture: Mapped[Prefecture | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled and locked users cannot log in
        return self.is_enabled and self.locked_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Invitation(Base):
    """A single-use, expiring link by which an invitee sets a password."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talent.id"))
    #: SHA-256 of the token; the token itself is only ever in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    prefecture: Mapped[Prefecture | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    invited_by: Mapped[User | None] = relationship()
