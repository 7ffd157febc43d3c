"""Helpers of the list pages: paging for every list, the fiscal year a page shows; for the
pool and national-list pages filter choices, the profile filter and the export links."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from wtforms.fields.choices import SelectChoice

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.services import reference
from talentpool.services.pool.talent_search import ProfileFilter, apply_filter
from talentpool.web.form_fields import choices
from talentpool.web.profiles import ProfileFilterForm

_TRI_STATE = {"yes": True, "no": False, "active": True, "inactive": False}


def skill_choices() -> list[SelectChoice]:
    """Taxonomy terms as (code, label) in the user's language, in taxonomy order."""
    locale = str(get_locale() or "ja")
    return choices((t.code, t.label(locale)) for t in reference.terms())


def area_choices(prefecture_id: int) -> list[SelectChoice]:
    return choices((m.lg_code, m.name) for m in reference.municipalities(prefecture_id))


def profile_filter(form: ProfileFilterForm) -> ProfileFilter:
    """The service's filter from a validated filter form."""
    active = form.active.data if "active" in form else "active"
    training = form.training.data if "training" in form else ""
    login = form.login.data if "login" in form else ""
    return ProfileFilter(
        q=form.q.data or "",
        skills=tuple(form.skills.data or ()),
        kind=form.kind.data or None,
        cio_candidate=_TRI_STATE.get(form.cio.data),
        work_style=form.work_style.data or None,
        min_hours=form.min_hours.data,
        active=_TRI_STATE.get(active),
        admin_training=_TRI_STATE.get(training),
        login=login or None,
        sort=form.sort.data or "kana",
        descending={"asc": False, "desc": True}.get(request.args.get("dir", "")),
    )


def filtered_profiles(
    form_type: type[ProfileFilterForm], query: Select, model
) -> tuple[ProfileFilterForm, Select | None]:
    """The filter form from the query string, and `query` (a scoped list of `model`, talent or
    national-list entries) filtered and sorted by it; None when the form is invalid."""
    form = form_type(request.args)
    form.skills.choices = skill_choices()
    if not form.validate():
        return form, None
    return form, apply_filter(query, model, profile_filter(form))


def filter_args() -> dict[str, list[str]]:
    """The current query string without the page number (for export links)."""
    return {k: v for k, v in request.args.lists() if k not in ("page", "codes")}


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """The page of `query` the request asks for (`?page=`; past the end: an empty page),
    `per_page` rows long (default: the PER_PAGE setting)."""
    size = per_page or current_app.config["PER_PAGE"]
    return db.paginate(query, per_page=size, error_out=False)


def selected_year() -> int:
    """The fiscal year a page shows: ?year=, else the current one."""
    year = request.args.get("year", type=int)
    return year if year is not None and 2019 <= year <= 2100 else fiscal.current()


def export_codes() -> bool:
    """The export asks for English headers and codes (`?codes=1`) instead of Japanese."""
    return request.args.get("codes") == "1"
