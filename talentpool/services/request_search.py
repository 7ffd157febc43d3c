"""Filters and sorting for request lists and exports; always applied on a tenant-scoped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from talentpool.models import Municipality, SupportRequest, request_skill
from talentpool.services.request_states import UNFILLED
from talentpool.text import search_key

SORTS = {
    "updated": _l("更新日の新しい順"),
    "start": _l("開始日の早い順"),
    "hours": _l("月間時間の多い順"),
    "municipality": _l("市町村コード順"),
    "title": _l("件名順"),
}


@dataclass(frozen=True)
class RequestFilters:
    """What the user filters a request list by; None means "any"."""

    municipality_id: int | None = None
    focus: str | None = None
    state: str | None = None
    unfilled: bool = False
    period_from: date | None = None
    period_to: date | None = None
    q: str = ""
    sort: str = "updated"


def _order(query: Select, sort: str) -> Select:
    r = SupportRequest
    if sort == "start":  # undated requests last, the same on SQLite and PostgreSQL
        return query.order_by(r.start_date.is_(None), r.start_date, r.id)
    if sort == "hours":
        return query.order_by(r.hours_per_month.desc(), r.id)
    if sort == "municipality":
        return query.join(Municipality, Municipality.id == r.municipality_id).order_by(
            Municipality.lg_code, r.id
        )
    if sort == "title":
        return query.order_by(r.title, r.id)
    return query.order_by(r.updated_at.desc(), r.id.desc())


def apply_filters(query: Select[tuple[SupportRequest]], f: RequestFilters) -> Select:
    """Narrow a scoped request query by the filters and order it."""
    r = SupportRequest
    if f.municipality_id:
        query = query.where(r.municipality_id == f.municipality_id)
    if f.focus:
        query = query.where(
            exists(
                select(request_skill.c.request_id).where(
                    request_skill.c.request_id == r.id, request_skill.c.term_code == f.focus
                )
            )
        )
    if f.state:
        query = query.where(r.state == f.state)
    if f.unfilled:
        query = query.where(r.state.in_([str(s) for s in UNFILLED]))
    # overlap with the period: an open end on either side counts as overlapping
    if f.period_from:
        query = query.where((r.end_date.is_(None)) | (r.end_date >= f.period_from))
    if f.period_to:
        query = query.where((r.start_date.is_(None)) | (r.start_date <= f.period_to))
    for word in search_key(f.q).split():
        query = query.where(r.search_text.contains(word, autoescape=True))
    query = query.options(selectinload(r.municipality), selectinload(r.skills))
    return _order(query, f.sort if f.sort in SORTS else "updated")
