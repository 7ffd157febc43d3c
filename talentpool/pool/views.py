"""Pool pages: the list with search and filters, export, a profile, editing, the talent's page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import Enrollment, Role, Talent
from talentpool.permissions import (
    COORDINATOR,
    TALENT,
    can_edit_talent,
    can_view_talent_contact,
    ensure_found,
    require_role,
)
from talentpool.pool import bp
from talentpool.pool.forms import (
    AnonymizeForm,
    OwnProfileForm,
    PoolFilterForm,
    TalentForm,
)
from talentpool.services.accounts import invitations
from talentpool.services.pool import talent as talent_service
from talentpool.services.pool.talent_format import POOL_HEADER, export_file, export_options
from talentpool.services.pool.talent_history import history_of
from talentpool.services.pool.talent_search import trained_ids
from talentpool.web.account_mail import invitation_link
from talentpool.web.actions import first_field, form_page, run
from talentpool.web.downloads import file_response
from talentpool.web.lists import (
    area_choices,
    export_codes,
    filter_args,
    filtered_profiles,
    paginate,
    profile_filter,
    skill_choices,
)
from talentpool.web.page_cache import cached_page
from talentpool.web.profiles import fill_form, form_values, switch_active
from talentpool.web.scoped import scoped_or_404


def _filtered_pool():
    """The filter form from the query string and the scoped, filtered query (None if invalid)."""
    return filtered_profiles(PoolFilterForm, scoping.talent_for(current_user), Talent)


@bp.route("/")
@require_role(*COORDINATOR)
@cached_page
def index():
    form, query = _filtered_pool()
    if query is None:
        return render_template(
            "pool/index.html", form=form, page=None, trained=set(), login={}
        ), 400
    sort = profile_filter(form).sorting(Talent)
    page = paginate(query.options(selectinload(Talent.skills)))
    trained = trained_ids([t.id for t in page.items])
    return render_template(
        "pool/index.html",
        form=form,
        page=page,
        trained=trained,
        login=invitations.talent_login(page.items),
        login_labels=invitations.TALENT_LOGIN_LABELS,
        filter_args=filter_args(),
        sort=sort,
    )


@bp.route("/export.<any(xlsx, csv):fmt>")
@require_role(*COORDINATOR)
def export(fmt: str):
    """The filtered list (all pages) in the import format."""
    form, query = _filtered_pool()
    if query is None:
        abort(400)
    profiles = db.session.scalars(export_options(query))
    body = export_file(profiles, POOL_HEADER, fmt, codes=export_codes())
    return file_response(body, "talent_pool", fmt)


def talent_or_404(talent_id: int) -> Talent:
    return scoped_or_404(scoping.talent_for, Talent, talent_id)


def _enrollments(talent_id: int) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.talent_id == talent_id)
            .options(selectinload(Enrollment.program))
            .order_by(Enrollment.id)
        )
    )


@bp.route("/<int:talent_id>")
@require_role(*COORDINATOR, *TALENT)
def detail(talent_id: int):
    talent = talent_or_404(talent_id)
    if current_user.role == Role.talent:
        return redirect(url_for("pool.my_profile"))
    return render_detail(talent)


def render_detail(talent: Talent, status: int = 200, **extra):
    """The profile page as a coordinator sees it (`extra`: e.g. a refused action's form)."""
    extra.setdefault("anonymize_form", AnonymizeForm(formdata=None))
    login = invitations.talent_login([talent])[talent.id]
    return render_template(
        "pool/detail.html",
        talent=talent,
        login=login,
        link=invitation_link(
            login.invitation and invitations.link_token_for(current_user, login.invitation)
        ),
        enrollments=_enrollments(talent.id),
        history=history_of(talent.id),
        show_contact=can_view_talent_contact(current_user, talent),
        can_edit=can_edit_talent(current_user, talent),
        **extra,
    ), status


def _talent_form(prefecture_id: int, obj: Talent | None = None) -> TalentForm:
    form = TalentForm()
    form.skills.choices = skill_choices()
    form.areas.choices = area_choices(prefecture_id)
    if obj is not None and request.method == "GET":
        fill_form(form, obj)
    return form


def _save(form, action):
    """Run a service with the form's values; on refusal show it beside the field."""
    values = form_values(form, talent_service.POOL_FIELDS)
    return run(form, lambda: action(values), field=first_field(form))


@bp.route("/new", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def create():
    form = _talent_form(current_user.prefecture_id)
    if form.validate_on_submit():
        talent = _save(
            form, lambda values: talent_service.create_talent(current_user.prefecture_id, values)
        )
        if talent is not None:
            flash(_("人材を登録しました。"), "success")
            return redirect(url_for("pool.detail", talent_id=talent.id))
    return form_page("pool/form.html", form=form, talent=None)


@bp.route("/<int:talent_id>/edit", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def edit(talent_id: int):
    talent = talent_or_404(talent_id)
    form = _talent_form(talent.prefecture_id, talent)
    if form.validate_on_submit():
        if _save(form, lambda values: talent_service.update_talent(talent, values)):
            flash(_("プロフィールを更新しました。"), "success")
            return redirect(url_for("pool.detail", talent_id=talent.id))
    return form_page("pool/form.html", form=form, talent=talent)


@bp.route("/<int:talent_id>/active", methods=["POST"])
@require_role(*COORDINATOR)
def set_active(talent_id: int):
    """Deactivate or reactivate (nothing is deleted from the UI)."""
    talent = talent_or_404(talent_id)
    return switch_active(
        talent,
        _("無効にしました(履歴は残ります)。"),
        url_for("pool.detail", talent_id=talent.id),
    )


@bp.route("/me", methods=["GET", "POST"])
@require_role(*TALENT)
def my_profile():
    """The talent's own profile: availability, skills, experience, work style, contact, areas."""
    talent = ensure_found(db.session.scalar(scoping.talent_for(current_user)))
    form = OwnProfileForm()
    form.skills.choices = skill_choices()
    form.areas.choices = area_choices(talent.prefecture_id)
    if request.method == "GET":
        fill_form(form, talent)
    elif form.validate_on_submit():
        values = form_values(form, talent_service.SELF_SERVICE_FIELDS)
        if run(
            form, lambda: talent_service.update_own_profile(talent, values), field=first_field(form)
        ):
            flash(_("プロフィールを更新しました。"), "success")
            return redirect(url_for("pool.my_profile"))
    return form_page(
        "pool/my_profile.html",
        form=form,
        talent=talent,
        enrollments=_enrollments(talent.id),
        history=history_of(talent.id),
    )
