"""The prefecture dashboard, its CSV tables, and the fiscal-measure workbook (coordinators)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import fiscal
from talentpool.permissions import COORDINATOR, require_role
from talentpool.reports import bp
from talentpool.reports.forms import DashboardFilterForm
from talentpool.reports.tables import section, sections
from talentpool.services.reports import dashboard, workbook
from talentpool.services.reports import fiscal as fiscal_report
from talentpool.services.training import progress
from talentpool.tabular import write_csv
from talentpool.web.downloads import file_response
from talentpool.web.page_cache import cached_page, remembered


def locale() -> str:
    return str(get_locale() or "ja")


def filter_form() -> DashboardFilterForm:
    """The year / focus-area filter bound to the query string (choices filled in)."""
    form = DashboardFilterForm(request.args, year=fiscal.current(), focus="")
    form.year.choices = [(y, fiscal.label(y, locale())) for y in progress.year_choices()]
    form.focus.choices = [("", _("すべての重点取組"))] + [
        (t.code, t.label(locale())) for t in dashboard.focus_areas()
    ]
    return form


def _dashboard_or_400() -> tuple[DashboardFilterForm, dashboard.Dashboard | None]:
    form = filter_form()
    if not form.validate():
        return form, None
    key = (current_user.prefecture_id, form.year.data, form.focus.data or None)
    return form, remembered(("dashboard", *key), lambda: dashboard.build(*key))


@bp.route("/", endpoint="dashboard")
@require_role(*COORDINATOR)
@cached_page
def dashboard_page():
    form, figures = _dashboard_or_400()
    if figures is None:
        return render_template("reports/dashboard.html", form=form, figures=None), 400
    return render_template(
        "reports/dashboard.html", form=form, figures=figures, sections=sections(figures, locale())
    )


@bp.route("/dashboard/<key>.csv")
@require_role(*COORDINATOR)
def dashboard_csv(key: str):
    form, figures = _dashboard_or_400()
    if figures is None:
        abort(400)
    found = section(figures, key, locale())
    if found is None:
        abort(404)
    suffix = f"_{figures.focus}" if figures.focus else ""
    return file_response(
        write_csv(found.headers, [*found.rows, *found.footer]),
        f"dashboard_{key}_{figures.year}{suffix}",
        "csv",
        dated=False,
    )


@bp.route("/fiscal.xlsx")
@require_role(*COORDINATOR)
def fiscal_workbook():
    year = request.args.get("year", type=int, default=fiscal.current())
    if not 2019 <= year <= 2100:
        abort(400)
    report = fiscal_report.build(current_user.prefecture_id, year)
    return file_response(workbook.write(report), f"fiscal_measures_{year}", "xlsx", dated=False)
