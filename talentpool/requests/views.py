"""Request list, detail, posting, editing and state transitions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import scoping
from talentpool.extensions import db
from talentpool.i18n import current_locale
from talentpool.models import RequestState, Role, SupportRequest
from talentpool.permissions import PREFECTURE_STAFF, require_role
from talentpool.requests import bp
from talentpool.requests.forms import (
    ActionForm,
    FilterForm,
    RequestForm,
    funding_choices,
)
from talentpool.services import DomainError, NotAllowed, reference
from talentpool.services.offers import offer_queries
from talentpool.services.requests import support_requests as service
from talentpool.services.requests.search import RequestFilters, apply_filters
from talentpool.services.requests.states import (
    STATE_LABELS,
    TRANSITIONS,
    editable_fields,
    target,
    transitions_from,
)
from talentpool.services.requests.templates import find_template, request_templates
from talentpool.web import confirm
from talentpool.web.actions import commit_or_rollback
from talentpool.web.confirm import confirmed
from talentpool.web.form_fields import choices
from talentpool.web.lists import paginate
from talentpool.web.page_cache import cached_page
from talentpool.web.scoped import scoped_or_404

#: Service fields that are not plain form fields of the same name.
_FORM_FIELDS = {"skills": ("focus_areas", "skills")}


def load_request(request_id: int) -> SupportRequest:
    """The request if the current user's scope includes it, else 404."""
    return scoped_or_404(scoping.requests_for, SupportRequest, request_id)


def _terms() -> tuple[list[reference.Term], list[reference.Term]]:
    terms = reference.terms()
    return [t for t in terms if t.category == "focus"], [t for t in terms if t.category != "focus"]


def _municipality_choices() -> list[tuple[int, str]]:
    """The coordinator's prefecture's municipalities (the only role offered the choice)."""
    if current_user.role != Role.coordinator:
        return [
            (m.id, f"{m.lg_code} {m.name}")
            for m in db.session.scalars(scoping.municipalities_for(current_user))
        ]
    return [
        (m.id, f"{m.lg_code} {m.name}")
        for m in reference.municipalities(current_user.prefecture_id)
    ]


# --- list ---------------------------------------------------------------------------------


def filter_form() -> tuple[FilterForm, RequestFilters, bool]:
    """The filter form bound to the query string, the filters, and whether it was valid."""
    form = FilterForm(request.args)
    focus, _other = _terms()
    locale = current_locale()
    form.focus.choices = choices([("", _("すべて")), *((t.code, t.label(locale)) for t in focus)])
    if current_user.role == Role.coordinator:
        form.municipality_id.choices = choices([(0, _("すべて")), *_municipality_choices()])
    else:
        del form.municipality_id
    valid = form.validate()
    # an invalid filter is reported on the page and not applied
    data = {name: (None if name in form.errors else value) for name, value in form.data.items()}
    filters = RequestFilters(
        municipality_id=data.get("municipality_id") or None,
        focus=data["focus"] or None,
        state=data["state"] or None,
        unfilled=bool(data["unfilled"]),
        period_from=data["period_from"],
        period_to=data["period_to"],
        q=data["q"] or "",
        sort=data["sort"] or "updated",
        descending={"asc": False, "desc": True}.get(request.args.get("dir", "")),
    )
    return form, filters, valid


@bp.route("/")
@require_role(*PREFECTURE_STAFF)
@cached_page
def index():
    form, filters, valid = filter_form()
    query = apply_filters(scoping.requests_for(current_user), filters)
    page = paginate(query)
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    export_urls = {fmt: url_for("requests.export", fmt=fmt, **args) for fmt in ("xlsx", "csv")}
    export_urls["codes"] = url_for("requests.export", fmt="csv", codes="1", **args)
    return render_template(
        "requests/index.html",
        form=form,
        page=page,
        export_urls=export_urls,
        sort=filters.sorting(),
    ), 200 if valid else 400


# --- detail and transitions -----------------------------------------------------------


def _render_detail(item: SupportRequest, status: int = 200, error: str | None = None):
    return render_template(
        "requests/detail.html",
        item=item,
        error=error,
        action_form=ActionForm(),
        transitions=transitions_from(item.state, current_user.role),
        can_edit=bool(editable_fields(item.state)),
        funding_labels=service.FUNDING_LABELS,
        request_offers=offer_queries.for_request(current_user, item.id),
    ), status


@bp.route("/<int:request_id>")
@require_role(*PREFECTURE_STAFF)
def detail(request_id: int):
    return _render_detail(load_request(request_id))


@bp.route("/<int:request_id>/transition/<name>", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def transition(request_id: int, name: str):
    item = load_request(request_id)
    if name not in TRANSITIONS:
        abort(404)
    if not ActionForm().validate_on_submit():
        return _render_detail(
            item, 400, _("フォームの有効期限が切れました。もう一度操作してください。")
        )
    action = TRANSITIONS[name]
    if action.confirm and not confirmed() and target(item.state, name) is not None:
        return confirm.ask(
            title=_("『%(title)s』を%(action)s", title=item.title, action=action.label),
            message=action.confirm,
            button=action.label,
            back=url_for("requests.detail", request_id=item.id),
        )
    try:
        commit_or_rollback(lambda: service.apply_transition(item, name, current_user.role))
    except DomainError as error:
        status = 403 if isinstance(error, NotAllowed) else 409
        return _render_detail(load_request(request_id), status, str(error.message))
    flash(
        _(
            "『%(title)s』を「%(state)s」にしました。",
            title=item.title,
            state=STATE_LABELS[item.state],
        ),
        "success",
    )
    return redirect(url_for("requests.detail", request_id=item.id))


# --- posting and editing --------------------------------------------------------------


def _form_for(data: dict | None = None) -> RequestForm:
    form = RequestForm(data=data or {})
    focus, other = _terms()
    locale = current_locale()
    form.focus_areas.choices = choices((t.code, t.label(locale)) for t in focus)
    form.skills.choices = choices((t.code, t.label(locale)) for t in other)
    form.funding.choices = funding_choices()
    if current_user.role == Role.coordinator:
        form.municipality_id.choices = choices(_municipality_choices())
    else:
        del form.municipality_id
    return form


def _split_skills(codes) -> dict:
    focus_codes = {t.code for t in _terms()[0]}
    codes = list(codes)
    return {
        "focus_areas": [c for c in codes if c in focus_codes],
        "skills": [c for c in codes if c not in focus_codes],
    }


def _attach_error(form: RequestForm, error: DomainError) -> None:
    name = _FORM_FIELDS.get(error.field or "", (error.field,))[0]
    target = form[name] if name and name in form else form.title
    target.errors = [*target.errors, error.message]


def _template_data() -> dict:
    template = find_template(request.args.get("template"))
    data: dict = {"headcount": 1}
    if template is not None:
        data.update(
            title=template.title,
            description=template.description,
            hours_per_month=template.hours_per_month,
            **_split_skills(template.skills),
        )
    if request.args.get("municipality_id", type=int):
        data["municipality_id"] = request.args.get("municipality_id", type=int)
    if current_user.role == Role.municipal_officer:
        # the officer posting is who the talent will contact, unless they change it
        data.update(contact_name=current_user.name, contact_email=current_user.email)
    return data


@bp.route("/new", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def new():
    form = _form_for(_template_data())
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            municipality_id = (
                form.municipality_id.data
                if "municipality_id" in form
                else current_user.municipality_id
            )
            fields = service.FIELDS - {"municipality_id"}

            def save() -> SupportRequest:
                item = service.create_request(
                    municipality_id=municipality_id,
                    values=form.values(fields),
                    created_by_id=current_user.id,
                )
                if form.save_and_publish.data:
                    service.apply_transition(item, "publish", current_user.role)
                return item

            try:
                item = commit_or_rollback(save)
            except DomainError as error:
                _attach_error(form, error)
            else:
                flash(_("支援依頼『%(title)s』を保存しました。", title=item.title), "success")
                return redirect(url_for("requests.detail", request_id=item.id))
    return render_template(
        "requests/form.html",
        form=form,
        item=None,
        templates=request_templates().values(),
        focus_labels={t.code: t.label(current_locale()) for t in _terms()[0]},
        chosen_template=request.args.get("template", ""),
    ), status


def _initial(item: SupportRequest) -> dict:
    data = {key: getattr(item, key) for key in service.FIELDS - {"skills", "funding"}}
    data["funding"] = item.funding or ""
    data.update(_split_skills(t.code for t in item.skills))
    return data


def _form_names(fields) -> set[str]:
    return {name for key in fields for name in _FORM_FIELDS.get(key, (key,))}


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def edit(request_id: int):
    item = load_request(request_id)
    editable = editable_fields(item.state)
    if not editable:
        return _render_detail(
            item, 409, _("『%(state)s』の依頼は編集できません。", state=STATE_LABELS[item.state])
        )
    form = _form_for(_initial(item) if request.method == "GET" else None)
    if item.state != RequestState.draft or current_user.role != Role.coordinator:
        editable = editable - {"municipality_id"}
    locked = _form_names(service.FIELDS - editable)
    for name in locked:
        if name in form:
            del form[name]
    status = 200
    if request.method == "POST":
        posted_locked = sorted(name for name in locked if name in request.form)
        if posted_locked:
            return _render_detail(
                item,
                409,
                _(
                    "『%(state)s』の依頼では変更できない項目が送信されました。",
                    state=STATE_LABELS[item.state],
                ),
            )
        status = 400
        if form.validate_on_submit():
            try:
                commit_or_rollback(lambda: service.update_request(item, form.values(editable)))
            except DomainError as error:
                _attach_error(form, error)
                item = load_request(request_id)
            else:
                flash(_("支援依頼『%(title)s』を更新しました。", title=item.title), "success")
                return redirect(url_for("requests.detail", request_id=item.id))
    return render_template(
        "requests/form.html", form=form, item=item, templates=(), locked=locked
    ), status
