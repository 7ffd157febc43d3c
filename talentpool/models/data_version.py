"""One counter that every committed write raises: what a cached page was built from."""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

from talentpool.models.base import Base


class DataVersion(Base):
    """A single row (id 1). talentpool.web.page_cache raises `version` in the same
    transaction as every commit that wrote a row, so every app server can tell whether the
    data a page was rendered from is still the data there is."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# create_all (tests, tools) makes the row as the migration does.
event.listen(
    DataVersion.__table__,
    "after_create",
    DDL("INSERT INTO data_version (id, version) VALUES (1, 0)"),
)
