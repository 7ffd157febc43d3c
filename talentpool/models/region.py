"""Prefectures and municipalities with their official local government codes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentpool.models.base import Base

#: Municipality kinds, derived from the official name's last character.
MUNICIPALITY_KINDS = {"市": "city", "区": "ward", "町": "town", "村": "village"}


class Prefecture(Base):
    __tablename__ = "prefecture"
    __repr_attrs__ = ("code", "name")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    lg_code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(10))
    name_kana: Mapped[str] = mapped_column(String(20))
    #: When set, staff talent must have completed admin-practice training to receive offers.
    require_admin_training: Mapped[bool] = mapped_column(default=False)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="prefecture", order_by="Municipality.lg_code"
    )


class Municipality(Base):
    __tablename__ = "municipality"
    __repr_attrs__ = ("lg_code", "name")

    id: Mapped[int] = mapped_column(primary_key=True)
    lg_code: Mapped[str] = mapped_column(String(6), unique=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefecture.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    name_kana: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))

    prefecture: Mapped[Prefecture] = relationship(back_populates="municipalities")

    @property
    def full_name(self) -> str:
        return f"{self.prefecture.name}{self.name}"
