"""The one list of skill and focus-area codes (product.md, Taxonomy)."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from talentpool.models.base import Base

TAXONOMY_CATEGORIES = ("focus", "role", "technical")


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_term"
    __repr_attrs__ = ("code",)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_ja: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str | None = None) -> str:
        """The label in `locale`, by default the current request's language (Japanese outside
        a request)."""
        if locale is None:
            locale = str(get_locale() or "ja")
        return self.label_en if locale == "en" else self.label_ja
