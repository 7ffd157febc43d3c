"""The national overview (national admins): aggregate figures per prefecture, no personal data."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from talentpool.permissions import NATIONAL, require_role
from talentpool.reports import bp
from talentpool.services.reports import national
from talentpool.services.training import progress
from talentpool.tabular import write_csv
from talentpool.web.downloads import file_response
from talentpool.web.lists import selected_year

#: (sort key, header) of each column, in page order.
COLUMNS = (
    ("code", _l("コード")),
    ("name", _l("都道府県")),
    ("pool", _l("プール人数")),
    ("staff", _l("常勤職員")),
    ("external", _l("外部人材")),
    ("company", _l("企業")),
    ("cio_candidates", _l("CIO補佐官候補")),
    ("requests", _l("依頼件数")),
    ("seats", _l("必要人数")),
    ("seats_filled", _l("決定人数")),
    ("fill_rate", _l("充足率(%)")),
    ("hours", _l("派遣時間")),
    ("municipalities_reached", _l("支援した市町村")),
    ("municipalities", _l("市町村数")),
    ("reach_rate", _l("支援した割合(%)")),
    ("leaders_trained", _l("DX推進リーダー修了")),
    ("leader_target", _l("育成目標")),
)


def _rows(year: int) -> tuple[list[national.PrefectureRow], str, bool]:
    key = request.args.get("sort", "code")
    key = key if key in national.SORT_KEYS else "code"
    descending = request.args.get("dir") == "desc"
    return national.sort_rows(national.build(year), key, descending), key, descending


def _values(row: national.PrefectureRow) -> list:
    return [getattr(row, key) for key, _ in COLUMNS]


def _total(rows: list[national.PrefectureRow]) -> list:
    def total(key):
        return sum(getattr(r, key) for r in rows)

    seats, filled = total("seats"), total("seats_filled")
    reached, municipalities = total("municipalities_reached"), total("municipalities")
    out = {
        key: total(key)
        for key, _ in COLUMNS
        if key not in ("code", "name", "fill_rate", "reach_rate")
    }
    out.update(
        code="",
        name=str(_l("全国")),
        fill_rate=round(filled * 100 / seats, 1) if seats else None,
        reach_rate=round(reached * 100 / municipalities, 1) if municipalities else None,
    )
    return [out[key] for key, _ in COLUMNS]


@bp.route("/national", endpoint="national")
@require_role(*NATIONAL)
def national_page():
    year = selected_year()
    rows, key, descending = _rows(year)
    return render_template(
        "reports/national.html",
        rows=[_values(r) for r in rows],
        total=_total(rows),
        columns=COLUMNS,
        sort=key,
        descending=descending,
        year=year,
        years=progress.year_choices(),
    )


@bp.route("/national.csv")
@require_role(*NATIONAL)
def national_csv():
    year = selected_year()
    rows, _key, _descending = _rows(year)
    return file_response(
        write_csv([str(label) for _, label in COLUMNS], [*map(_values, rows), _total(rows)]),
        f"national_overview_{year}",
        "csv",
        dated=False,
    )
