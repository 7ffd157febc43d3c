"""The prefecture dashboard: where the prefecture stands in one fiscal year.

Definitions (each figure is for fiscal year Y, see `periods` for "in Y"):
- requests by state: every request in Y, drafts and cancelled ones included;
- municipalities: with no posted request, with an unfilled (open / partially filled) request,
  with support (an assignment in Y); one municipality can be in both of the last two;
- hours: requested = hours per month × headcount × months in Y of posted requests; assigned =
  hours per month × months in Y of assignments (cut where they ended). A request with several
  focus areas counts in each; the total counts it once;
- pool utilisation: assigned hours in Y over available hours in Y (available hours per month ×
  months employed in Y; external talent and companies count all 12), active talent, by kind;
- offers sent in Y by answer (an unanswered offer past its reply-by date counts as lapsed);
- time to fill: days from a request's publication to its first assignment, for requests whose
  first assignment came in Y;
- DX-leader progress: services.training.progress.

The focus-area filter narrows requests, municipalities, hours, offers and time to fill; pool
utilisation and DX-leader progress do not depend on requests and ignore it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, null, select, true

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    Offer,
    OfferState,
    RequestState,
    SupportRequest,
    Talent,
    TalentKind,
    TaxonomyTerm,
    request_skill,
)
from talentpool.services import reference
from talentpool.services.clock import today
from talentpool.services.reports import match_quality
from talentpool.services.reports.periods import (
    POSTED,
    assignment_in_year,
    hours_in_year,
    request_in_year,
    utc_bounds,
)
from talentpool.services.requests.states import UNFILLED
from talentpool.services.training import progress


@dataclass(frozen=True)
class MunicipalityStatus:
    id: int
    lg_code: str
    name: str
    requests: int
    unfilled: int
    assignments: int

    @property
    def no_request(self) -> bool:
        return self.requests == 0

    @property
    def has_unfilled(self) -> bool:
        return self.unfilled > 0

    @property
    def supported(self) -> bool:
        return self.assignments > 0


@dataclass(frozen=True)
class AreaHours:
    """Hours requested and assigned in the year for one focus area (code None: the total)."""

    code: str | None
    label_ja: str
    label_en: str
    requested: int
    assigned: int


@dataclass(frozen=True)
class PoolUse:
    kind: str
    talent: int
    available: int
    assigned: int

    @property
    def percent(self) -> float | None:
        """Assigned as a share of available hours (None when nothing is available)."""
        return round(self.assigned * 100 / self.available, 1) if self.available else None


@dataclass(frozen=True)
class TimeToFill:
    days: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None


@dataclass(frozen=True)
class Dashboard:
    prefecture_id: int
    year: int
    focus: str | None
    request_states: dict[str, int]
    municipalities: list[MunicipalityStatus]
    areas: list[AreaHours]
    area_total: AreaHours
    pool: list[PoolUse]
    offers: dict[str, int]
    fill: TimeToFill
    progress: list[progress.Progress]
    #: Matching quality (offers by rank and score, times, declines); no focus filter.
    match: match_quality.MatchQuality | None = None

    @property
    def year_label(self) -> str:
        return fiscal.label(self.year)


def focus_areas() -> list[reference.Term]:
    """The focus areas the dashboard can be filtered by, in taxonomy order."""
    return [t for t in reference.terms() if t.category == "focus"]


def _with_focus(request_id, focus: str | None) -> ColumnElement[bool]:
    if not focus:
        return true()
    return request_id.in_(
        select(request_skill.c.request_id).where(request_skill.c.term_code == focus)
    )


def build(prefecture_id: int, year: int, focus: str | None = None) -> Dashboard:
    """Every dashboard figure of one prefecture for fiscal year `year`."""
    totals, areas = _hours(prefecture_id, year, focus)
    return Dashboard(
        prefecture_id=prefecture_id,
        year=year,
        focus=focus or None,
        request_states=_request_states(prefecture_id, year, focus),
        municipalities=_municipalities(prefecture_id, year, focus),
        areas=areas,
        area_total=totals,
        pool=_pool(prefecture_id, year),
        offers=_offers(prefecture_id, year, focus),
        fill=_time_to_fill(prefecture_id, year, focus),
        progress=progress.shortfall_list(prefecture_id, year),
        match=match_quality.build(year, prefecture_id)[prefecture_id],
    )


def _requests_where(prefecture_id: int, year: int, focus: str | None):
    return (
        SupportRequest.prefecture_id == prefecture_id,
        request_in_year(year),
        _with_focus(SupportRequest.id, focus),
    )


def _assignments_where(prefecture_id: int, year: int, focus: str | None):
    return (
        Assignment.prefecture_id == prefecture_id,
        assignment_in_year(year),
        _with_focus(Assignment.request_id, focus),
    )


def _count_by(key, *where) -> dict:
    """{value of `key`: how many rows have it}, over the rows that match `where`."""
    return dict(db.session.execute(select(key, func.count()).where(*where).group_by(key)).all())


def _request_states(prefecture_id: int, year: int, focus: str | None) -> dict[str, int]:
    counts = _count_by(SupportRequest.state, *_requests_where(prefecture_id, year, focus))
    return {state.value: counts.get(state.value, 0) for state in RequestState}


def _municipalities(prefecture_id: int, year: int, focus: str | None) -> list[MunicipalityStatus]:
    unfilled = func.sum(case((SupportRequest.state.in_(UNFILLED), 1), else_=0))
    asked = {
        m: (n, u)
        for m, n, u in db.session.execute(
            select(SupportRequest.municipality_id, func.count(), unfilled)
            .where(*_requests_where(prefecture_id, year, focus), SupportRequest.state.in_(POSTED))
            .group_by(SupportRequest.municipality_id)
        )
    }
    served = _count_by(Assignment.municipality_id, *_assignments_where(prefecture_id, year, focus))
    return [
        MunicipalityStatus(m.id, m.lg_code, m.name, *asked.get(m.id, (0, 0)), served.get(m.id, 0))
        for m in reference.municipalities(prefecture_id)
    ]


def _hours(prefecture_id: int, year: int, focus: str | None) -> tuple[AreaHours, list[AreaHours]]:
    r, a, term = SupportRequest, Assignment, request_skill.c.term_code
    by_area = (
        and_(TaxonomyTerm.code == term, TaxonomyTerm.category == "focus"),
        *((term == focus,) if focus else ()),
    )

    asked_period = (r.start_date, r.end_date)
    given_period = (a.start_date, a.end_date, a.ended_at)

    def asked(key):
        return select(key, *asked_period, null(), func.sum(r.hours_per_month * r.headcount)).where(
            *_requests_where(prefecture_id, year, focus), r.state.in_(POSTED)
        )

    def given(key):
        return select(key, *given_period, func.sum(a.hours_per_month)).where(
            *_assignments_where(prefecture_id, year, focus)
        )

    def in_year(query, *group_by) -> dict:
        return hours_in_year(db.session.execute(query.group_by(*group_by)), year)

    def per_area(query, request_id, *period) -> dict:  # in each of the request's focus areas
        return in_year(
            query.join(request_skill, request_skill.c.request_id == request_id)
            .join(TaxonomyTerm, by_area[0])
            .where(*by_area[1:]),
            term,
            *period,
        )

    asked_by_area = per_area(asked(term), r.id, *asked_period)
    given_by_area = per_area(given(term), a.request_id, *given_period)
    asked_total = in_year(asked(null()), *asked_period)
    given_total = in_year(given(null()), *given_period)
    areas = [
        AreaHours(
            t.code,
            t.label_ja,
            t.label_en,
            asked_by_area.get(t.code, 0),
            given_by_area.get(t.code, 0),
        )
        for t in focus_areas()
        if not focus or t.code == focus
    ]
    total = AreaHours(None, "", "", asked_total.get(None, 0), given_total.get(None, 0))
    return total, areas


def _pool(prefecture_id: int, year: int) -> list[PoolUse]:
    t, a = Talent, Assignment
    counted = (t.prefecture_id == prefecture_id, t.active.is_(True), t.anonymized_at.is_(None))
    available: dict = defaultdict(int)
    people: dict = defaultdict(int)
    for kind, start, end, hours, count in db.session.execute(
        select(
            t.kind,
            t.employment_start,
            t.employment_end,
            func.sum(t.available_hours_per_month),
            func.count(),
        )
        .where(*counted)
        .group_by(t.kind, t.employment_start, t.employment_end)
    ):
        employed = fiscal.months_in_year(start, end, year)
        available[kind] += int(hours) * employed
        people[kind] += count if employed else 0
    assigned = hours_in_year(
        db.session.execute(
            select(t.kind, a.start_date, a.end_date, a.ended_at, func.sum(a.hours_per_month))
            .join(t, t.id == a.talent_id)
            .where(*_assignments_where(prefecture_id, year, None))
            .group_by(t.kind, a.start_date, a.end_date, a.ended_at)
        ),
        year,
    )
    return [
        PoolUse(kind.value, people[kind.value], available[kind.value], assigned[kind.value])
        for kind in TalentKind
    ]


def _offers(prefecture_id: int, year: int, focus: str | None) -> dict[str, int]:
    start, end = utc_bounds(year)
    # The offers pages show an unanswered offer past its reply-by date as lapsed; so do we.
    state = case(
        (and_(Offer.state == OfferState.sent, Offer.reply_by < today()), OfferState.lapsed.value),
        else_=Offer.state,
    )
    counts = _count_by(
        state,
        Offer.prefecture_id == prefecture_id,
        Offer.sent_at >= start,
        Offer.sent_at < end,
        _with_focus(Offer.request_id, focus),
    )
    return {s.value: counts.get(s.value, 0) for s in OfferState}


def _time_to_fill(prefecture_id: int, year: int, focus: str | None) -> TimeToFill:
    start, end = utc_bounds(year)
    r = SupportRequest
    first = func.min(Assignment.created_at)
    rows = db.session.execute(
        select(func.coalesce(r.published_at, r.created_at), first)
        .join(Assignment, Assignment.request_id == r.id)
        .where(r.prefecture_id == prefecture_id, _with_focus(r.id, focus))
        .group_by(r.id, r.published_at, r.created_at)
        .having(first >= start, first < end)
    )
    days = sorted(
        max((filled - published).total_seconds() / 86400, 0.0) for published, filled in rows
    )
    return TimeToFill(tuple(days))
