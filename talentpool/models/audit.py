"""The audit trail: who changed what, when, from what to what. Written by talentpool.audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from talentpool.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: The prefecture whose data changed (None: national or reference data), for scoping.
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete
    entity: Mapped[str] = mapped_column(String(50), index=True)
    entity_id: Mapped[str] = mapped_column(String(40))
    #: {field: [before, after]}; secrets are masked.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
