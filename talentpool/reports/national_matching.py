"""Matching quality per prefecture for national admins: the dashboard's figures side by
side (counts, rates, medians), no personal data."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.i18n import join
from talentpool.models import Prefecture
from talentpool.permissions import NATIONAL, require_role
from talentpool.reports import bp, charts
from talentpool.reports.match_tables import RANK_LABELS, decline_label
from talentpool.services.offers.lifecycle import DECLINE_CODES
from talentpool.services.reports import match_quality
from talentpool.services.training import progress
from talentpool.tabular import write_csv
from talentpool.web.downloads import file_response
from talentpool.web.lists import selected_year

RANKS = ("1", "2-3", "4-10", "11+", "hand")


def _headers() -> list[str]:
    return [
        str(_l("コード")),
        str(_l("都道府県")),
        _("回答済みの打診"),
        _("受諾率(%)"),
        *(_("受諾率 %(rank)s(%%)", rank=RANK_LABELS[k]) for k in RANKS),
        _("評価の平均(1〜5)"),
        _("公開から最初の打診までの日数(中央値)"),
        _("公開から最初の受諾までの日数(中央値)"),
        _("人材が決まった依頼の割合(%)"),
        *(_("辞退: %(reason)s", reason=decline_label(c)) for c in DECLINE_CODES),
    ]


def _row(prefecture: Prefecture, m: match_quality.MatchQuality) -> list:
    answered = sum(r.answered for r in m.by_rank.values())
    accepted = sum(r.accepted for r in m.by_rank.values())
    ratings = [s for r in m.by_score.values() for s in r.scores]
    return [
        prefecture.code,
        prefecture.name,
        answered,
        round(accepted * 100 / answered, 1) if answered else None,
        *(m.by_rank[k].percent for k in RANKS),
        round(sum(ratings) / len(ratings), 2) if ratings else None,
        m.median(m.days_to_offer),
        m.median(m.days_to_accept),
        m.person_percent,
        *(m.declines.get(c, 0) for c in DECLINE_CODES),
    ]


def _rows(year: int) -> list[list]:
    figures = match_quality.build(year)
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code))
    return [_row(p, figures[p.id]) for p in prefectures if p.id in figures]


@bp.route("/national/matching")
@require_role(*NATIONAL)
def national_matching():
    year = selected_year()
    rows = _rows(year)
    title = _("都道府県別の打診の受諾率")
    items = [(r[1], r[3] or 0.0) for r in rows]
    chart = charts.bar_chart(
        "chart-national-matching",
        title,
        join(f"{name} {rate}%" for name, rate in items),
        items,
        "%",
    )
    return render_template(
        "reports/national_matching.html",
        headers=_headers(),
        rows=rows,
        chart=chart,
        year=year,
        years=progress.year_choices(),
    )


@bp.route("/national/matching.csv")
@require_role(*NATIONAL)
def national_matching_csv():
    year = selected_year()
    body = write_csv(_headers(), _rows(year))
    return file_response(body, f"national_matching_{year}", "csv", dated=False)
