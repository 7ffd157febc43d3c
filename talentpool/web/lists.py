"""Helpers of the pool and national-list pages: filter choices, the profile filter, paging
and the export links."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

from talentpool.services import reference
from talentpool.services.pool.talent_search import ProfileFilter
from talentpool.web.profiles import ProfileFilterForm, choices

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


def filter_args() -> dict[str, list[str]]:
    """The current query string without the page number (for export links)."""
    return {k: v for k, v in request.args.lists() if k not in ("page", "codes")}


def page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def per_page() -> int:
    return current_app.config.get("PER_PAGE", 25)


def export_codes() -> bool:
    """The export asks for English headers and codes (`?codes=1`) instead of Japanese."""
    return request.args.get("codes") == "1"
