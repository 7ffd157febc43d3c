"""Filters and sorting for request lists and exports; always applied on a tenant-scoped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, exists, select
from sqlalchemy.orm import selectinload

from talentpool import sorting
from talentpool.models import Municipality, RequestState, SupportRequest, request_skill
from talentpool.services.requests.states import UNFILLED
from talentpool.services.search import with_keywords

SORTS = {
    "updated": _l("更新日の新しい順"),
    "start": _l("開始日の早い順"),
    "hours": _l("月間時間の多い順"),
    "headcount": _l("人数の多い順"),
    "municipality": _l("市町村コード順"),
    "title": _l("件名順"),
    "state": _l("状態順"),
}
_r = SupportRequest
#: What each sort key orders by (ascending) and whether its first click sorts descending.
COLUMNS = {
    "updated": sorting.Column((_r.updated_at,), descending_first=True),
    "start": sorting.Column((_r.start_date,)),
    "hours": sorting.Column((_r.hours_per_month,), descending_first=True),
    "headcount": sorting.Column((_r.headcount,), descending_first=True),
    "municipality": sorting.Column((Municipality.lg_code,)),
    "title": sorting.Column((_r.title,)),
    # the lifecycle's order, not the codes' alphabetical one
    "state": sorting.Column(
        (case({s.value: i for i, s in enumerate(RequestState)}, value=_r.state),)
    ),
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
    #: None: the key's own first direction
    descending: bool | None = None

    def sorting(self) -> sorting.Sort:
        """The sort these filters ask for (unknown keys fall back to "updated")."""
        direction = "" if self.descending is None else ("desc" if self.descending else "asc")
        return sorting.choose(COLUMNS, self.sort, "updated", direction)


def _order(query: Select, f: RequestFilters) -> Select:
    sort = f.sorting()
    if sort.key == "municipality":
        query = query.join(Municipality, Municipality.id == SupportRequest.municipality_id)
    return query.order_by(*sorting.order(COLUMNS, sort, SupportRequest.id))


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
    query = with_keywords(query, f.q, r.search_text)
    query = query.options(selectinload(r.municipality), selectinload(r.skills))
    return _order(query, f)
