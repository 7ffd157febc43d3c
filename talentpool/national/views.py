"""National-list pages: the admin keeps the list; coordinators browse it and copy entries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import NationalListEntry, Role, Talent
from talentpool.national import bp
from talentpool.national.forms import NationalFilterForm
from talentpool.permissions import COORDINATOR, NATIONAL, require_role
from talentpool.services.pool import national_list
from talentpool.services.pool.talent import NATIONAL_FIELDS
from talentpool.services.pool.talent_format import NATIONAL_HEADER, export_file
from talentpool.web.actions import first_field, form_page, run
from talentpool.web.downloads import file_response
from talentpool.web.lists import (
    export_codes,
    filter_args,
    filtered_profiles,
    paginate,
    profile_filter,
    skill_choices,
)
from talentpool.web.profiles import EntryForm, fill_form, form_values, switch_active
from talentpool.web.scoped import scoped_or_404


def _filtered():
    query = scoping.national_entries_for(current_user)
    return filtered_profiles(NationalFilterForm, query, NationalListEntry)


def _copies(entry_ids: list[int]) -> dict[int, int]:
    """entry id → the coordinator's pool profile copied from it (one query per page)."""
    if current_user.role != Role.coordinator or not entry_ids:
        return {}
    rows = db.session.execute(
        scoping.talent_for(current_user)
        .with_only_columns(Talent.source_entry_id, Talent.id)
        .where(Talent.source_entry_id.in_(entry_ids))
    )
    return {entry_id: talent_id for entry_id, talent_id in rows}


@bp.route("/")
@require_role(*NATIONAL, *COORDINATOR)
def index():
    form, query = _filtered()
    if query is None:
        return render_template("national/index.html", form=form, page=None, copies={}), 400
    page = paginate(query.options(selectinload(NationalListEntry.skills)))
    return render_template(
        "national/index.html",
        form=form,
        page=page,
        copies=_copies([e.id for e in page.items]),
        filter_args=filter_args(),
        sort=profile_filter(form).sorting(NationalListEntry),
    )


@bp.route("/export.<any(xlsx, csv):fmt>")
@require_role(*NATIONAL)
def export(fmt: str):
    form, query = _filtered()
    if query is None:
        abort(400)
    entries = db.session.scalars(query.options(selectinload(NationalListEntry.skills)))
    body = export_file(entries, NATIONAL_HEADER, fmt, codes=export_codes())
    return file_response(body, "national_list", fmt)


def _entry_or_404(entry_id: int) -> NationalListEntry:
    return scoped_or_404(scoping.national_entries_for, NationalListEntry, entry_id)


@bp.route("/<int:entry_id>")
@require_role(*NATIONAL, *COORDINATOR)
def detail(entry_id: int):
    entry = _entry_or_404(entry_id)
    copy = (
        national_list.copy_of(entry.id, current_user.prefecture_id)
        if current_user.role == Role.coordinator
        else None
    )
    return render_template("national/detail.html", entry=entry, copy=copy)


@bp.route("/<int:entry_id>/copy", methods=["POST"])
@require_role(*COORDINATOR)
def copy(entry_id: int):
    """Copy an entry into the coordinator's pool (refused if it is already there)."""
    entry = _entry_or_404(entry_id)
    talent = run(None, lambda: national_list.copy_to_pool(entry, current_user.prefecture_id))
    if talent is None:
        existing = national_list.copy_of(entry.id, current_user.prefecture_id)
        target = (
            url_for("pool.detail", talent_id=existing.id)
            if existing
            else url_for("national.detail", entry_id=entry.id)
        )
        return redirect(target)
    flash(
        _("人材プールに追加しました。必要に応じて対応地域や連絡先を確認してください。"), "success"
    )
    return redirect(url_for("pool.detail", talent_id=talent.id))


def _entry_form(entry: NationalListEntry | None = None) -> EntryForm:
    form = EntryForm()
    form.skills.choices = skill_choices()
    if entry is not None and request.method == "GET":
        fill_form(form, entry)
    return form


def _save_entry(form: EntryForm, entry: NationalListEntry | None):
    values = form_values(form, NATIONAL_FIELDS)

    def save() -> NationalListEntry:
        if entry is None:
            return national_list.create_entry(values)
        national_list.update_entry(entry, values)
        return entry

    return run(form, save, field=first_field(form))


@bp.route("/new", methods=["GET", "POST"])
@require_role(*NATIONAL)
def create():
    form = _entry_form()
    if form.validate_on_submit() and (entry := _save_entry(form, None)) is not None:
        flash(_("国のリストに登録しました。"), "success")
        return redirect(url_for("national.detail", entry_id=entry.id))
    return form_page("national/form.html", form=form, entry=None)


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@require_role(*NATIONAL)
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = _entry_form(entry)
    if form.validate_on_submit() and _save_entry(form, entry) is not None:
        flash(_("更新しました。"), "success")
        return redirect(url_for("national.detail", entry_id=entry.id))
    return form_page("national/form.html", form=form, entry=entry)


@bp.route("/<int:entry_id>/active", methods=["POST"])
@require_role(*NATIONAL)
def set_entry_active(entry_id: int):
    entry = _entry_or_404(entry_id)
    return switch_active(
        entry,
        _("無効にしました(都道府県からは見えなくなります)。"),
        url_for("national.detail", entry_id=entry.id),
    )
