"""Declarative base with a naming convention so Alembic can name every constraint."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from flask_babel import force_locale
from sqlalchemy import Column, ForeignKey, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    #: The attributes repr() shows after the class name, e.g. ("id", "state") gives
    #: <Offer 12 sent>; none: Python's default repr.
    __repr_attrs__: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        if not self.__repr_attrs__:
            return super().__repr__()
        shown = " ".join(str(getattr(self, name)) for name in self.__repr_attrs__)
        return f"<{type(self).__name__} {shown}>"


def link_table(name: str, owner: tuple[str, str], other: tuple[str, str]) -> Table:
    """A many-to-many table of (column, referenced column) pairs; a row goes with its owner."""
    return Table(
        name,
        Base.metadata,
        Column(owner[0], ForeignKey(owner[1], ondelete="CASCADE"), primary_key=True),
        Column(other[0], ForeignKey(other[1]), primary_key=True),
    )


def utcnow() -> datetime:
    """Naive UTC now; stored naive on every backend so comparisons never mix kinds."""
    return datetime.now(UTC).replace(tzinfo=None)


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry their label: the one place a code's words live.

    A member is written `code = "code", _l("ラベル")` (marked with `_l`, so Babel extracts it);
    `member.label` is the label in the user's language.
    """

    def __new__(cls, value: str, label: object):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self):
        return self._label

    @classmethod
    def labels(cls) -> Mapping[str, object]:
        """{member: label} in definition order (members compare equal to their codes)."""
        return {member: member.label for member in cls}

    @classmethod
    def texts(cls, locale: str = "ja") -> dict[str, str]:
        """{code: label} as plain text in `locale` (Japanese by default, as files carry them)."""
        with force_locale(locale):
            return {member.value: str(member.label) for member in cls}

    @classmethod
    def label_of(cls, value: str | None, default: object = "") -> object:
        """The label of a stored code; `default` for None or a code no longer known."""
        try:
            return cls(value).label
        except ValueError:
            return default if value is None else value
