"""Users, their roles and scopes, and invitations."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, and_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.base import Base, LabelledEnum, utcnow
from talentpool.models.region import Municipality, Prefecture


class Role(LabelledEnum):
    national_admin = "national_admin", _l("国の管理者")
    coordinator = "coordinator", _l("都道府県担当者")
    municipal_officer = "municipal_officer", _l("市町村担当者")
    talent = "talent", _l("デジタル人材")


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __repr_attrs__ = ("email", "role")
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    prefecture: Mapped[Prefecture | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled users cannot log in
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


#: An invitation not used and not ended (it may have expired): at most one per e-mail address.
OPEN_INVITATION = text("used_at IS NULL AND revoked_at IS NULL")


class Invitation(Base):
    """A single-use, expiring link by which an invitee sets a password.

    Ended early by a revoke, or by a resend (which issues a new invitation, `replaced_by`).
    """

    __tablename__ = "invitation"
    __table_args__ = (
        # Two people inviting the same address at once get one open invitation, not two.
        Index(
            "uq_invitation_one_open_per_email",
            "email",
            unique=True,
            sqlite_where=OPEN_INVITATION,
            postgresql_where=OPEN_INVITATION,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talent.id"), index=True)
    #: SHA-256 of the token; the token itself is only ever in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: With SECRET_KEY, derives the token, so the inviter can see the link again
    #: (services/invitations.py); useless without the key.
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    prefecture: Mapped[Prefecture | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])


def open_invitation() -> ColumnElement[bool]:
    """Query condition: the invitation is neither used nor ended (it may have expired); the
    unique index's OPEN_INVITATION as a clause on the invitation table's own columns."""
    return and_(Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))


class LoginThrottle(Base):
    """Failed logins for one e-mail address, registered or not (so the answer never tells
    which), and until when further attempts wait. Kept in the database so every worker and
    host sees the same count."""

    __tablename__ = "login_throttle"

    #: SHA-256 of the normalised address: unknown addresses typed by an attacker are not kept.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PasswordReset(Base):
    """A single-use, expiring link by which a user sets a new password: asked for by the user
    (forgot password) or issued by whoever manages the account (`requested_by`)."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: SHA-256 of the token; the token itself is only ever in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
