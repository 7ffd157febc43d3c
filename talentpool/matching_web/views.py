"""A request's ranking, and the prefecture's plan: compute, adjust, send as offers."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from talentpool import scoping
from talentpool.extensions import db
from talentpool.i18n import current_locale
from talentpool.matching_web import bp
from talentpool.matching_web.forms import ActionForm, PlanForm, SendPlanForm, SwapForm
from talentpool.matching_web.reasons import SCORE_PARTS, reason_lines, skill_labels
from talentpool.models import MatchPlan, MatchPlanItem, PlanStatus, SupportRequest
from talentpool.permissions import COORDINATOR, ensure_found, require_role
from talentpool.services import DomainError
from talentpool.services.accounts import invitations
from talentpool.services.clock import today
from talentpool.services.matching import bridge, match_plans, outcomes
from talentpool.services.offers import lifecycle as offers
from talentpool.web.actions import attach, commit_or_rollback
from talentpool.web.page_cache import remembered
from talentpool.web.scoped import scoped_or_404

TOP = 20
DEFAULT_REPLY_DAYS = 7
PLAN_PAGE = 50
MAX_PAGE = 10_000
#: Why a request got nobody in the plan (keys: match_plans.uncovered).
WHY_UNCOVERED = {
    "full": _l("募集人数はすでに埋まっています。"),
    "no_eligible": _l("条件(地域・働き方・CIO補佐官等・研修)に合う人材がいません。"),
    "no_hours": _l("依頼の月間時間を空けられる人材がいません。"),
    "below_min": _l("スコアの下限を満たす人材がいません。"),
    "taken": _l("候補者(%(n)d人)は、より合う別の依頼に配置されました。"),
}
#: The solver's own status words, as a coordinator reads them.
SOLVER_LABELS = {
    "optimal": _l("最適な組み合わせ"),
    "time_limit": _l("時間内で見つかった最良の組み合わせ"),
    "greedy": _l("スコア順の簡易計算"),
}


def _request_or_404(request_id: int) -> SupportRequest:
    return scoped_or_404(scoping.requests_for, SupportRequest, request_id)


def _page() -> int:
    """?page= as a number from 1 (anything else is page 1)."""
    value = request.args.get("page", "1")
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) > 0 else 1


def _min_score() -> float:
    """?min_score= between 0 and 1 (anything else is 0: no threshold)."""
    try:
        value = float(request.args.get("min_score", "0"))
    except ValueError:
        return 0.0
    return value if 0.0 <= value <= 1.0 else 0.0


@bp.route("/requests/<int:request_id>")
@require_role(*COORDINATOR)
def request_ranking(request_id: int):
    """The pool ranked for one request, TOP a page: score and its parts, reasons, and who
    is left out by which rule; ?min_score= hides weaker candidates."""
    req = _request_or_404(request_id)
    page, min_score = _page(), _min_score()
    result, pool = bridge.rank_request(req, page * TOP)
    shown = [p for p in result.proposals if p.score >= min_score]
    excluded = [
        (bridge.RULE_LABELS[rule], count) for rule, count in result.ineligible.items() if count
    ]
    engaged = {tid for _rid, tid in match_plans.engaged_pairs({req.id})}
    labels = skill_labels()
    rows = [
        (p, pool.talent[p.talent_id], reason_lines(p.reasons, labels))
        for p in shown[(page - 1) * TOP : page * TOP]
    ]
    return render_template(
        "matching/ranking.html",
        req=req,
        rows=rows,
        declines=outcomes.recent_declines([t.id for _p, t, _w in rows]),
        learned=pool.learned,
        result=result,
        excluded=excluded,
        engaged=engaged,
        recruiting=req.state in offers.RECRUITING,
        page=page,
        has_next=len(shown) == page * TOP and result.eligible_count > page * TOP,
        min_score=min_score,
        parts=SCORE_PARTS,
        talent_login=invitations.talent_login(t for _p, t, _why in rows),
    )


# --- the plan ---------------------------------------------------------------------------


def _plan_or_404(plan_id: int, *, pairs_only: bool = False) -> MatchPlan:
    """The plan with every pair's request and talent (the plan page and its checks), or
    alone (``pairs_only``: the swap page reads one pair, and its pairs load when asked)."""
    query = scoping.match_plans_for(current_user).where(MatchPlan.id == plan_id)
    return ensure_found(
        db.session.scalar(query if pairs_only else query.options(*match_plans.with_pairs()))
    )


def _send_form() -> SendPlanForm:
    form = SendPlanForm()
    if not form.is_submitted():
        form.reply_by.data = today() + timedelta(days=DEFAULT_REPLY_DAYS)
    return form


def _render_plan(
    plan: MatchPlan | None,
    status: int = 200,
    *,
    problems: list[str] | None = None,
    send_form: SendPlanForm | None = None,
    plan_form: PlanForm | None = None,
):
    uncovered = []
    if plan is not None and plan.status == PlanStatus.draft:
        if problems is None:  # the same on every page of the plan until data changes
            problems = remembered(
                ("plan_problems", plan.id, current_locale()),
                lambda: (
                    match_plans.plan_problems(match_plans.with_all_pairs(plan))
                    if plan.items
                    else []
                ),
            )
        uncovered = match_plans.uncovered(plan)
    page = _page()
    items = list(plan.items) if plan is not None else []
    labels = skill_labels()
    this_page = items[(page - 1) * PLAN_PAGE :][:PLAN_PAGE]
    match_plans.show_pairs(this_page)
    stored = match_plans.reasons_of(this_page)
    shown = [(i, reason_lines(stored.get(i.id) or [], labels)) for i in this_page]
    pairs = (
        select(func.count())
        .where(MatchPlanItem.plan_id == MatchPlan.id)
        .correlate(MatchPlan)
        .scalar_subquery()
    )
    history = db.session.execute(
        scoping.match_plans_for(current_user)
        .add_columns(pairs)
        .where(MatchPlan.status != PlanStatus.draft)
        .order_by(MatchPlan.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "matching/plan.html",
        plan=plan,
        problems=problems or [],
        uncovered=uncovered,
        why_uncovered=WHY_UNCOVERED,
        solver_labels=SOLVER_LABELS,
        shown=shown,
        page=page,
        has_next=len(items) > page * PLAN_PAGE,
        people=len({i.talent_id for i in items}),
        parts=SCORE_PARTS,
        history=history,
        plan_form=plan_form or PlanForm(),
        send_form=send_form or _send_form(),
        action_form=ActionForm(),
        talent_login=invitations.talent_login(i.talent for i in this_page),
    ), status


@bp.route("/plan")
@require_role(*COORDINATOR)
def plan():
    """The plan being adjusted (if any) and the form that computes a new one."""
    return _render_plan(match_plans.current_plan(current_user.prefecture_id, light=True))


@bp.route("/plan", methods=["POST"])
@require_role(*COORDINATOR)
def compute():
    form = PlanForm()
    if not form.validate_on_submit():
        return _render_plan(
            match_plans.current_plan(current_user.prefecture_id), 400, plan_form=form
        )
    computed = match_plans.compute_plan(
        current_user,
        fairness=form.fairness.data,
        invited_only=form.invited_only.data,
        min_score=float(form.min_score.data or 0),
    )
    pairs = len(computed.items)
    db.session.commit()
    flash(_("計画を計算しました(%(n)d組)。", n=pairs), "success")
    return redirect(url_for("matching.plan"))


@bp.route("/plan/<int:plan_id>")
@require_role(*COORDINATOR)
def plan_detail(plan_id: int):
    found = _plan_or_404(plan_id)
    if found.status == PlanStatus.draft:
        return redirect(url_for("matching.plan"))
    return _render_plan(found)


@bp.route("/plan/<int:plan_id>/items/<int:item_id>/remove", methods=["POST"])
@require_role(*COORDINATOR)
def remove_item(plan_id: int, item_id: int):
    found = _plan_or_404(plan_id)
    if not ActionForm().validate_on_submit():
        return _render_plan(
            found, 400, problems=[_("フォームの有効期限が切れました。もう一度操作してください。")]
        )
    try:
        commit_or_rollback(lambda: match_plans.remove_item(current_user, found, item_id))
    except DomainError as error:
        return _render_plan(_plan_or_404(plan_id), 400, problems=[str(error.message)])
    flash(_("組み合わせを計画から外しました。"), "success")
    return redirect(url_for("matching.plan"))


def _render_swap(
    found: MatchPlan, item: MatchPlanItem, status: int = 200, problems: list[str] | None = None
):
    """Eligible candidates of the pair's request, with the hours the plan leaves them."""
    result, pool = bridge.rank_request(item.request, TOP)
    planned = {
        str(talent_id): int(hours)
        for talent_id, hours in db.session.execute(
            select(MatchPlanItem.talent_id, func.sum(MatchPlanItem.hours))
            .where(MatchPlanItem.plan_id == found.id, MatchPlanItem.id != item.id)
            .group_by(MatchPlanItem.talent_id)
        )
    }
    free = {p.id: p.available_hours - planned.get(p.id, 0) for p in pool.profiles}
    labels = skill_labels()
    rows = [
        (p, pool.talent[p.talent_id], free[p.talent_id], reason_lines(p.reasons, labels))
        for p in result.proposals
    ]
    return render_template(
        "matching/swap.html",
        plan=found,
        item=item,
        rows=rows,
        problems=problems or [],
        form=SwapForm(),
        parts=SCORE_PARTS,
    ), status


def _item_or_404(found: MatchPlan, item_id: int) -> MatchPlanItem:
    """One pair of the plan (one query; the plan's other pairs are not loaded for it)."""
    return ensure_found(
        db.session.scalar(
            select(MatchPlanItem).where(
                MatchPlanItem.plan_id == found.id, MatchPlanItem.id == item_id
            )
        )
    )


@bp.route("/plan/<int:plan_id>/items/<int:item_id>/swap", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def swap_item(plan_id: int, item_id: int):
    """Choose another eligible talent for a pair; the whole plan is re-checked."""
    found = _plan_or_404(plan_id, pairs_only=True)
    item = _item_or_404(found, item_id)
    if found.status != PlanStatus.draft:
        return redirect(url_for("matching.plan_detail", plan_id=found.id))
    form = SwapForm()
    if not form.is_submitted():
        return _render_swap(found, item)
    if not form.validate_on_submit():
        return _render_swap(found, item, 400, [_("入れ替える人材を選んでください。")])
    try:
        commit_or_rollback(
            lambda: match_plans.swap_item(current_user, found, item.id, form.talent_id.data)
        )
    except match_plans.PlanProblems as error:
        found = _plan_or_404(plan_id, pairs_only=True)
        return _render_swap(found, _item_or_404(found, item_id), 400, error.problems)
    except DomainError as error:
        found = _plan_or_404(plan_id, pairs_only=True)
        return _render_swap(found, _item_or_404(found, item_id), 400, [str(error.message)])
    flash(_("人材を入れ替えました。"), "success")
    return redirect(url_for("matching.plan"))


@bp.route("/plan/<int:plan_id>/send", methods=["POST"])
@require_role(*COORDINATOR)
def send(plan_id: int):
    """Send every pair of the plan as an offer, all at once or not at all."""
    found = _plan_or_404(plan_id)
    form = _send_form()
    if not form.validate_on_submit():
        return _render_plan(found, 400, send_form=form)
    try:
        sent = commit_or_rollback(
            lambda: match_plans.send_plan(
                current_user, found, form.message.data or "", form.reply_by.data
            )
        )
    except match_plans.PlanProblems as error:
        return _render_plan(_plan_or_404(plan_id), 400, problems=error.problems, send_form=form)
    except DomainError as error:
        problems = None if attach(form, error) else [str(error.message)]
        return _render_plan(_plan_or_404(plan_id), 400, send_form=form, problems=problems)
    flash(_("計画の%(n)d件の打診を送りました。", n=len(sent)), "success")
    return redirect(url_for("offers.index"))


# --- weights learned from outcomes ------------------------------------------------------


def _render_learning(status: int = 200, error: str | None = None):
    from talentpool.matching.learning import MIN_OUTCOMES

    prefecture_id = current_user.prefecture_id
    return render_template(
        "matching/learning.html",
        row=outcomes.learned_row(prefecture_id),
        defaults=bridge.tables()[0].components,
        answered=len(outcomes.learning_outcomes(prefecture_id)),
        minimum=MIN_OUTCOMES,
        parts=SCORE_PARTS,
        form=ActionForm(),
        error=error,
    ), status


@bp.route("/learning")
@require_role(*COORDINATOR)
def learning():
    """Which weights rank this prefecture's pool, from how many outcomes, how they
    validated, and the buttons to learn again or switch back to the defaults."""
    return _render_learning()


@bp.route("/learning/fit", methods=["POST"])
@require_role(*COORDINATOR)
def learn():
    if not ActionForm().validate_on_submit():
        return _render_learning(
            400, _("フォームの有効期限が切れました。もう一度操作してください。")
        )
    try:
        row = commit_or_rollback(lambda: outcomes.learn(current_user))
    except DomainError as error:
        return _render_learning(400, str(error.message))
    if row.validated:
        flash(
            _("学習した重みは検証で既定の重みを上回りました。使うかどうかを選んでください。"),
            "success",
        )
    else:
        flash(
            _("学習した重みは検証で既定の重みを上回らなかったため、既定の重みのままです。"),
            "info",
        )
    return redirect(url_for("matching.learning"))


@bp.route("/learning/switch", methods=["POST"])
@require_role(*COORDINATOR)
def switch_weights():
    use = request.form.get("use")
    if not ActionForm().validate_on_submit() or use not in ("learned", "default"):
        return _render_learning(400, _("切り替え先を選んでください。"))
    try:
        commit_or_rollback(lambda: outcomes.switch(current_user, use == "learned"))
    except DomainError as error:
        return _render_learning(400, str(error.message))
    if use == "learned":
        flash(_("この都道府県のランキングと計画は学習した重みを使います。"), "success")
    else:
        flash(_("既定の重みに戻しました。"), "success")
    return redirect(url_for("matching.learning"))
