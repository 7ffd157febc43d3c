"""Fiscal years (年度, April 1 – March 31) and 令和 labels. Every report uses these."""

from __future__ import annotations

from datetime import date

from talentpool.services.clock import today

REIWA_START = 2019  # 令和元年 = 2019


def fiscal_year(day: date) -> int:
    """The fiscal year a day belongs to, by its starting calendar year (2026-03-31 → 2025)."""
    return day.year if day.month >= 4 else day.year - 1


def current() -> int:
    """The fiscal year we are in now (in Japan)."""
    return fiscal_year(today())


def bounds(year: int) -> tuple[date, date]:
    """First and last day of fiscal year `year`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def reiwa(year: int) -> int:
    """令和 year number of a fiscal year (FY2025 → 7)."""
    return year - REIWA_START + 1


def label(year: int, locale: str | None = None) -> str:
    """'令和7年度 (2025)' — or 'FY2025 (Reiwa 7)' in English. Without `locale`, in the current
    request's language (Japanese outside a request); files pass "ja"."""
    if locale is None:
        from flask_babel import get_locale

        locale = str(get_locale() or "ja")
    number = reiwa(year)
    if locale == "en":
        return f"FY{year} (Reiwa {number})"
    era = "令和元年度" if number == 1 else f"令和{number}年度"
    return f"{era} ({year})"


def months_in_year(start: date | None, end: date | None, year: int) -> int:
    """Whole or partial calendar months of [start, end] that fall in fiscal year `year`."""
    first, last = bounds(year)
    lo = max(start or first, first)
    hi = min(end or last, last)
    if hi < lo:
        return 0
    return (hi.year - lo.year) * 12 + hi.month - lo.month + 1
