"""Offer pages: the list per role, sending an offer, reading and answering one."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from talentpool import scoping, sorting
from talentpool.extensions import db
from talentpool.models import Offer, OfferState, Role, SupportRequest, Talent
from talentpool.offers import bp
from talentpool.offers.forms import DeclineForm, ListFilterForm, OfferForm
from talentpool.permissions import COORDINATOR, OFFICER, TALENT, require_role
from talentpool.services import DomainError, reference
from talentpool.services.accounts import invitations
from talentpool.services.clock import today
from talentpool.services.offers import capacity, offer_queries
from talentpool.services.offers import lifecycle as offers
from talentpool.services.requests.support_requests import recruiting
from talentpool.web import confirm
from talentpool.web.actions import commit_or_rollback, run
from talentpool.web.confirm import confirmed
from talentpool.web.lists import paginate
from talentpool.web.page_cache import cached_page
from talentpool.web.scoped import scoped_or_404

DEFAULT_REPLY_DAYS = 7


def lapse_first() -> None:
    """Lazily lapse overdue offers before any offer is shown (cron may not have run)."""
    if offers.lapse_overdue():
        db.session.commit()


def _filters() -> ListFilterForm:
    form = ListFilterForm(request.args)
    places = (  # a coordinator's: the prefecture's, read once per app
        reference.municipalities(current_user.prefecture_id)
        if current_user.role == Role.coordinator
        else db.session.scalars(scoping.municipalities_for(current_user))
    )
    form.municipality_id.choices = [(0, _("すべて"))] + [(m.id, m.name) for m in places]
    return form


@bp.route("/")
@require_role(*COORDINATOR, *TALENT, *OFFICER)
@cached_page
def index():
    """Coordinator: the prefecture's offers or assignments; talent: mine; officer: ours."""
    lapse_first()
    form = _filters()
    view = request.args.get("view", "offers")
    if current_user.role == Role.municipal_officer:
        view = "assignments"
    q = (form.q.data or "").strip()[:100]
    municipality_id = request.args.get("municipality_id", 0, type=int) or 0
    if not 0 <= municipality_id < 2**31:  # nonsense ids would overflow the database's integer
        municipality_id = 0
    state = request.args.get("state", "")
    if current_user.role == Role.talent:
        columns = {k: v for k, v in offer_queries.OFFER_COLUMNS.items() if k != "talent"}
        sort = sorting.read(columns, "")
        my_offers = paginate(offer_queries.offers(current_user, q, state, sort=sort))
        my_assignments = db.session.scalars(offer_queries.assignments(current_user)).all()
        return render_template(
            "offers/index_talent.html",
            page=my_offers,
            assignments=my_assignments,
            form=form,
            sort=sort,
        )
    if view == "assignments":
        build, sort = offer_queries.assignments, sorting.read(offer_queries.ASSIGNMENT_COLUMNS, "")
    else:
        build, sort = offer_queries.offers, sorting.read(offer_queries.OFFER_COLUMNS, "")
    listing = paginate(build(current_user, q, state, municipality_id, sort=sort))
    return render_template("offers/index.html", page=listing, view=view, form=form, sort=sort)


@bp.route("/new")
@require_role(*COORDINATOR)
def choose_request():
    """Recruiting requests of the prefecture, each one click from a new offer."""
    items = db.session.scalars(
        scoping.requests_for(current_user)
        .where(recruiting())
        .order_by(SupportRequest.created_at.desc())
        .limit(500)
    ).all()
    return render_template("offers/choose_request.html", requests=items)


def _talent_choices(req: SupportRequest) -> list[tuple[int, str]]:
    pool = db.session.scalars(
        scoping.talent_for(current_user)
        .where(Talent.active.is_(True), Talent.anonymized_at.is_(None))
        .order_by(Talent.name_kana, Talent.id)
    ).all()
    reserved = capacity.reserved_hours_by_talent([t.id for t in pool])
    login = invitations.talent_login(pool)
    choices = []
    for talent in pool:
        free = max(talent.available_hours_per_month - reserved.get(talent.id, 0), 0)
        # Kana and the pool's number tell apart two people of the same name.
        label = _(
            "%(name)s(%(kana)s・%(number)s・空き 月%(free)d時間)",
            name=talent.name,
            kana=talent.name_kana or "—",
            number=talent.external_id or f"#{talent.id}",
            free=free,
        )
        state = login[talent.id].state
        if state != invitations.TalentLogin.account:
            label += _("・招待中") if state == invitations.TalentLogin.pending else _("・未招待")
        choices.append((talent.id, label))
    return choices


@bp.route("/new/<int:request_id>", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def new(request_id: int):
    """Send an offer for a request; ?talent_id= preselects the talent (from a ranking)."""
    req = scoped_or_404(scoping.requests_for, SupportRequest, request_id)
    form = OfferForm()
    form.talent_id.choices = _talent_choices(req)
    if request.method == "GET":
        wanted = request.args.get("talent_id", type=int)
        if wanted is not None:
            if wanted not in {value for value, _label in form.talent_id.choices}:
                abort(404)
            form.talent_id.data = wanted
            if request.args.get("source") == "ranking":
                form.source.data = "ranking"
        form.hours_per_month.data = req.hours_per_month
        form.start_date.data = req.start_date
        form.end_date.data = req.end_date
        form.reply_by.data = today() + timedelta(days=DEFAULT_REPLY_DAYS)
        return render_template("offers/new.html", form=form, req=req)
    if form.validate_on_submit():
        sent = run(
            form,
            lambda: offers.send_offers(
                current_user,
                [(req.id, form.talent_id.data, form.hours_per_month.data)],
                form.message.data or "",
                form.reply_by.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                source=form.source.data,
            ),
            field="talent_id",
        )
        if sent is not None:
            (offer,) = sent
            flash(_("%(name)sさんに打診を送りました。", name=offer.talent.name), "success")
            return redirect(url_for("offers.detail", offer_id=offer.id))
    return render_template("offers/new.html", form=form, req=req), 400


def _offer_or_404(offer_id: int) -> Offer:
    return scoped_or_404(scoping.offers_for, Offer, offer_id)


def _render_detail(
    offer: Offer,
    status: int = 200,
    decline_form: DeclineForm | None = None,
    error: str | None = None,
):
    return render_template(
        "offers/detail.html",
        offer=offer,
        req=offer.request,
        decline_form=decline_form or DeclineForm(),
        error=error,
        can_answer=(current_user.role == Role.talent and offer.state == OfferState.sent),
        other_talent_url=other_talent_link(offer),
    ), status


@bp.route("/<int:offer_id>")
@login_required
def detail(offer_id: int):
    lapse_first()
    return _render_detail(_offer_or_404(offer_id))


def _refused(
    offer: Offer, error: DomainError, status: int = 409, decline_form: DeclineForm | None = None
):
    db.session.rollback()
    return _render_detail(_offer_or_404(offer.id), status, decline_form, str(error.message))


@bp.route("/<int:offer_id>/accept", methods=["POST"])
@require_role(*TALENT)
def accept(offer_id: int):
    lapse_first()
    offer = _offer_or_404(offer_id)
    try:
        assignment = commit_or_rollback(lambda: offers.accept_offer(current_user, offer))
    except DomainError as error:
        return _refused(offer, error)
    except OperationalError:
        # SQLite lets one writer through; the other lands here rather than overbooking.
        return _refused(
            offer,
            DomainError(_("他の操作と重なったため受諾できませんでした。もう一度お試しください。")),
        )
    flash(_("打診を受諾しました。派遣が確定しました。"), "success")
    return redirect(url_for("offers.assignment_detail", assignment_id=assignment.id))


@bp.route("/<int:offer_id>/decline", methods=["POST"])
@require_role(*TALENT)
def decline(offer_id: int):
    lapse_first()
    offer = _offer_or_404(offer_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _render_detail(offer, 400, form)
    if offer.state == OfferState.sent and not confirmed():
        return confirm.ask(
            title=_("打診を辞退する: %(title)s", title=offer.request.title),
            message=_(
                "辞退すると、この打診には受諾できなくなります。理由は都道府県の担当者に伝わります。"
            ),
            button=_("辞退する"),
            back=url_for("offers.detail", offer_id=offer.id),
            details=[
                _(
                    "辞退の理由: %(reason)s",
                    reason=" ".join(
                        filter(None, [str(offers.DECLINE_CODES[form.code.data]), form.reason.data])
                    ),
                )
            ],
        )
    reason, code = form.reason.data or "", form.code.data
    try:
        commit_or_rollback(lambda: offers.decline_offer(current_user, offer, reason, code))
    except DomainError as error:
        return _refused(offer, error, 400 if error.field else 409, form)
    flash(_("打診を辞退しました。"), "success")
    return redirect(url_for("offers.detail", offer_id=offer.id))


@bp.route("/<int:offer_id>/withdraw", methods=["POST"])
@require_role(*COORDINATOR)
def withdraw(offer_id: int):
    lapse_first()
    offer = _offer_or_404(offer_id)
    if offer.state == OfferState.sent and not confirmed():
        return confirm.ask(
            title=_("打診を取り下げる: %(name)sさん", name=offer.talent.name),
            message=_(
                "取り下げると、%(name)sさんはこの打診に回答できなくなります(本人に通知されます)。元に戻せません。",
                name=offer.talent.name,
            ),
            button=_("打診を取り下げる"),
            back=url_for("offers.detail", offer_id=offer.id),
            details=[offer.request.title],
        )
    try:
        commit_or_rollback(lambda: offers.withdraw_offer(current_user, offer))
    except DomainError as error:
        return _refused(offer, error)
    flash(_("打診を取り下げました。"), "success")
    return redirect(url_for("offers.detail", offer_id=offer.id))


def other_talent_link(offer: Offer) -> str:
    """Where the coordinator picks the next candidate: the ranking when it exists."""
    if "matching.request_ranking" in current_app.view_functions:
        return url_for("matching.request_ranking", request_id=offer.request_id)
    return url_for("offers.new", request_id=offer.request_id)
