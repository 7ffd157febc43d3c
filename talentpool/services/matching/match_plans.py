"""Match plans: compute a prefecture's optimal plan, keep it, adjust it, send it as offers.

A plan is computed over the recruiting requests and the whole pool; talent without an account
yet are planned too (the plan says who should go where) and must be invited before sending. The
coordinator may remove a pair or swap its talent; every change is re-checked with the
matcher's ``check_plan`` (hours, headcount, eligibility). Sending turns all pairs into offers
in one call of ``offers.send_offers``: all or nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.orm import joinedload, selectinload

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    AssignmentState,
    MatchPlan,
    MatchPlanItem,
    Offer,
    OfferState,
    PlanStatus,
    Prefecture,
    Role,
    SupportRequest,
    User,
    utcnow,
)
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.matching import bridge
from talentpool.services.offers import lifecycle as offers


class PlanProblems(DomainError):
    """The plan cannot be sent or changed as asked; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(_l("計画に問題があるため実行できません。"))
        self.problems = problems


def _ensure_coordinator(user: User, prefecture_id: int | None = None) -> None:
    if user.role != Role.coordinator or (
        prefecture_id is not None and user.prefecture_id != prefecture_id
    ):
        raise NotAllowed(_l("マッチング計画を扱えるのは都道府県担当者だけです。"))


def _ensure_draft(plan: MatchPlan) -> None:
    if plan.status != PlanStatus.draft:
        raise DomainError(
            _l("この計画は送信済みか、新しい計画に置き換えられたため変更できません。")
        )


def with_pairs():
    """Loader options of a plan with what its pages and checks read of every pair: the
    request (its skills, municipality and prefecture) and the talent. Three queries
    whatever the plan's size: the pairs joined to their request and talent (no list of
    ids sent back), then the requests' skills. A pair's reasons are read only for the
    pairs a page shows (``reasons_of``)."""
    items = selectinload(MatchPlan.items)
    request = items.joinedload(MatchPlanItem.request, innerjoin=True)
    return (
        items.defer(MatchPlanItem.reasons),
        request.subqueryload(SupportRequest.skills),
        request.joinedload(SupportRequest.municipality, innerjoin=True),
        request.joinedload(SupportRequest.prefecture, innerjoin=True),
        items.joinedload(MatchPlanItem.talent, innerjoin=True),
    )


def reasons_of(items: Collection[MatchPlanItem]) -> dict[int, list]:
    """The stored reasons of these pairs (one query), by pair id."""
    if not items:
        return {}
    return dict(
        db.session.execute(
            select(MatchPlanItem.id, MatchPlanItem.reasons).where(
                MatchPlanItem.id.in_([i.id for i in items])
            )
        ).all()
    )


def pairs_alone():
    """Loader options of a plan with its pairs' own columns (ids, hours, score): what a
    page of the plan reads of every pair; `show_pairs` loads the request and talent of the
    pairs it shows."""
    return (selectinload(MatchPlan.items).defer(MatchPlanItem.reasons),)


def current_plan(prefecture_id: int, *, light: bool = False) -> MatchPlan | None:
    """The prefecture's plan being adjusted, if any (with its pairs loaded: with their
    requests and talent, or ``light``: the pairs alone)."""
    return db.session.scalar(
        select(MatchPlan)
        .where(MatchPlan.prefecture_id == prefecture_id, MatchPlan.status == PlanStatus.draft)
        .options(*(pairs_alone() if light else with_pairs()))
        .order_by(MatchPlan.id.desc())
        .limit(1)
    )


def with_all_pairs(plan: MatchPlan) -> MatchPlan:
    """The plan with every pair's request and talent loaded (the checks read them all)."""
    return db.session.scalar(
        select(MatchPlan)
        .where(MatchPlan.id == plan.id)
        .options(*with_pairs())
        .execution_options(populate_existing=True)
    )


def show_pairs(items: list[MatchPlanItem]) -> None:
    """Load the request (with its municipality) and the talent of these pairs, in one query."""
    if items:
        db.session.scalars(
            select(MatchPlanItem)
            .where(MatchPlanItem.id.in_([i.id for i in items]))
            .options(
                joinedload(MatchPlanItem.request, innerjoin=True).joinedload(
                    SupportRequest.municipality, innerjoin=True
                ),
                joinedload(MatchPlanItem.talent, innerjoin=True),
            )
        ).all()


def compute_plan(
    coordinator: User, *, fairness: bool = True, invited_only: bool = False, min_score: float = 0.0
) -> MatchPlan:
    """Compute and keep the optimal plan; an earlier unsent plan is marked replaced.
    `invited_only` plans with the talent who can log in, so every pair can be sent;
    `min_score` leaves out pairs scoring less."""
    from talentpool.matching.plan import optimal_and_greedy

    _ensure_coordinator(coordinator)
    prefecture = db.session.get(Prefecture, coordinator.prefecture_id)
    specs = bridge.request_specs(bridge.load_requests(prefecture.id))
    pool = bridge.prepare_pool(prefecture.id)
    policy = replace(bridge.policy_for(prefecture, fairness=fairness), min_score=min_score)
    allowed = pool.invited() if invited_only else None
    index = pool.index.memoised()  # the plan, the greedy comparison and the reasons score once
    plan, greedy = optimal_and_greedy(specs, policy, index=index, allowed=allowed)  # one edge set
    explained = index.explain_pairs(specs, plan.pairs(), policy)
    db.session.execute(
        update(MatchPlan)
        .where(MatchPlan.prefecture_id == prefecture.id, MatchPlan.status == PlanStatus.draft)
        .values(status=PlanStatus.replaced)
        .execution_options(synchronize_session=False)
    )
    row = MatchPlan(
        prefecture_id=prefecture.id,
        created_by_id=coordinator.id,
        fairness=fairness,
        min_score=min_score,
        status=PlanStatus.draft,
        solver_status=plan.status[:60],
        total_score=plan.total_score,
        objective=plan.objective,
        lp_bound=plan.lp_bound,
        gap=plan.gap,
        greedy_total=greedy.total_score,
        greedy_covered=len({a.request_id for a in greedy.placements}),
        open_requests=sum(1 for s in specs if s.headcount > 0),
        open_seats=sum(s.headcount for s in specs),
    )
    db.session.add(row)
    db.session.flush()
    pairs = []
    for a in plan.placements:
        why = explained.get((a.request_id, a.talent_id))
        pairs.append(
            {
                "plan_id": row.id,
                "request_id": int(a.request_id),
                "talent_id": int(a.talent_id),
                "score": a.score,
                "hours": a.hours,
                "reasons": [r.as_dict() for r in why.reasons] if why else [],
            }
        )
    if pairs:  # one executemany, not an INSERT … RETURNING per pair
        db.session.execute(insert(MatchPlanItem), pairs)
    db.session.expire(row, ["items"])
    return row


def _item(plan: MatchPlan, item_id: int) -> MatchPlanItem:
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is None:
        raise DomainError(_l("計画にこの組み合わせが見つかりません。"))
    return item


def remove_item(coordinator: User, plan: MatchPlan, item_id: int) -> None:
    """Take one pair out of the plan (removing never breaks hours or headcount)."""
    _ensure_coordinator(coordinator, plan.prefecture_id)
    _ensure_draft(plan)
    plan.items.remove(_item(plan, item_id))
    plan.total_score = sum(i.score for i in plan.items)
    db.session.flush()


def swap_item(coordinator: User, plan: MatchPlan, item_id: int, talent_id: int) -> MatchPlanItem:
    """Put another talent on a pair's request, if the whole plan still keeps every rule."""
    _ensure_coordinator(coordinator, plan.prefecture_id)
    _ensure_draft(plan)
    item = _item(plan, item_id)
    pool = bridge.prepare_pool(plan.prefecture_id)
    if str(talent_id) not in pool.talent:
        raise DomainError(_l("人材プールにこの人材が見つかりません。"), "talent_id")
    requests = bridge.load_requests(plan.prefecture_id, {i.request_id for i in plan.items})
    specs = bridge.request_specs(requests)
    rid, tid = str(item.request_id), str(talent_id)
    pairs = [(str(i.request_id), str(i.talent_id)) for i in plan.items if i is not item]
    pairs.append((rid, tid))
    policy = bridge.policy_for(requests[0].prefecture, fairness=plan.fairness)
    problems = describe(pairs, specs, pool.profiles, pool.talent, requests, policy, only=(rid, tid))
    if problems:
        raise PlanProblems(problems)
    proposal = pool.index.explain_pairs(specs, [(rid, tid)], policy)[(rid, tid)]
    item.talent_id = talent_id
    item.talent = pool.talent[tid]
    item.score = proposal.score
    item.reasons = [r.as_dict() for r in proposal.reasons]
    plan.total_score = sum(i.score for i in plan.items)
    db.session.flush()
    return item


def describe(
    pairs, specs, profiles, talent_rows, requests, policy, *, only: tuple[str, str] | None = None
) -> list[str]:
    """Every broken rule of ``pairs`` as a Japanese sentence; ``only`` keeps those that
    concern that request or that talent."""
    from talentpool.matching import check_plan
    from talentpool.matching import failed_rules as matcher_failed_rules

    spec_of = {s.id: s for s in specs}
    profile_of = {p.id: p for p in profiles}
    title = {str(r.id): r.title for r in requests}
    hours: dict[str, int] = defaultdict(int)
    seats: Counter[str] = Counter()
    for rid, tid in pairs:
        if rid in spec_of:
            hours[tid] += spec_of[rid].hours_per_month
            seats[rid] += 1
    out = []
    for v in check_plan(pairs, specs, profiles, policy):
        if only and v.request_id != only[0] and v.talent_id != only[1]:
            continue
        name = talent_rows[v.talent_id].name if v.talent_id in talent_rows else ""
        if v.kind == "ineligible":
            rules = matcher_failed_rules(spec_of[v.request_id], profile_of[v.talent_id], policy)
            out.append(
                _l(
                    "%(name)sさんは「%(title)s」の対象外です(%(rules)s)。",
                    name=name,
                    title=title[v.request_id],
                    rules=bridge.rule_labels(rules),
                )
            )
        elif v.kind == "hours":
            out.append(
                _l(
                    "%(name)sさんの配置が月%(used)d時間になり、空き時間(月%(free)d時間)を"
                    "超えます。",
                    name=name,
                    used=hours[v.talent_id],
                    free=max(profile_of[v.talent_id].available_hours, 0),
                )
            )
        elif v.kind == "headcount":
            out.append(
                _l(
                    "「%(title)s」の配置が%(used)d人になり、残りの必要人数(%(n)d人)を超えます。",
                    title=title[v.request_id],
                    used=seats[v.request_id],
                    n=spec_of[v.request_id].headcount,
                )
            )
        elif v.kind == "duplicate":
            out.append(
                _l(
                    "%(name)sさんは「%(title)s」に既に入っています。",
                    name=name,
                    title=title[v.request_id],
                )
            )
        else:
            out.append(_l("支援依頼または人材が見つかりません。"))
    return [str(p) for p in out]


def plan_problems(plan: MatchPlan) -> list[str]:
    """Why the plan could not be sent now (empty: it can): rules broken since it was computed,
    requests no longer recruiting, talent without an account, pairs already offered."""
    if not plan.items:
        return [str(_l("計画に組み合わせがありません。"))]
    requests = list({i.request_id: i.request for i in plan.items}.values())
    talent = list({i.talent_id: i.talent for i in plan.items}.values())
    rows = {str(t.id): t for t in talent}
    pairs = [(str(i.request_id), str(i.talent_id)) for i in plan.items]
    out = []
    for r in requests:
        if r.state not in offers.RECRUITING:
            out.append(str(_l("「%(title)s」は募集中ではなくなりました。", title=r.title)))
    for t in talent:
        if t.user_id is None or t.anonymized_at is not None:
            out.append(
                str(
                    _l(
                        "%(name)sさんにはログインできるアカウントがないため打診できません。"
                        "先に人材を招待するか、入れ替えてください。",
                        name=t.name,
                    )
                )
            )
    policy = bridge.policy_for(requests[0].prefecture, fairness=plan.fairness)
    mine = select(MatchPlanItem).where(MatchPlanItem.plan_id == plan.id)  # flushed: as loaded
    out += describe(
        pairs,
        bridge.request_specs(requests, among=mine.with_only_columns(MatchPlanItem.request_id)),
        bridge.talent_profiles(talent, among=mine.with_only_columns(MatchPlanItem.talent_id)),
        rows,
        requests,
        policy,
    )
    out += _already_offered(plan)
    return out


def engaged_pairs(request_ids: set[int]) -> set[tuple[int, int]]:
    """(request id, talent id) pairs with an unanswered offer or an active assignment."""
    offered = select(Offer.request_id, Offer.talent_id).where(
        Offer.request_id.in_(request_ids), Offer.state == OfferState.sent
    )
    assigned = select(Assignment.request_id, Assignment.talent_id).where(
        Assignment.request_id.in_(request_ids), Assignment.state == AssignmentState.active
    )
    return {(r, t) for query in (offered, assigned) for r, t in db.session.execute(query)}


def _already_offered(plan: MatchPlan) -> list[str]:
    """The plan's pairs with an unanswered offer or an active assignment (two queries
    joined on the plan, whatever its size)."""
    mine = select(MatchPlanItem.request_id, MatchPlanItem.talent_id).where(
        MatchPlanItem.plan_id == plan.id
    )
    offered = mine.join(
        Offer,
        (Offer.request_id == MatchPlanItem.request_id)
        & (Offer.talent_id == MatchPlanItem.talent_id)
        & (Offer.state == OfferState.sent),
    )
    assigned = mine.join(
        Assignment,
        (Assignment.request_id == MatchPlanItem.request_id)
        & (Assignment.talent_id == MatchPlanItem.talent_id)
        & (Assignment.state == AssignmentState.active),
    )
    taken = {(r, t) for query in (offered, assigned) for r, t in db.session.execute(query)}
    return [
        str(
            _l(
                "%(name)sさんには「%(title)s」の打診または派遣が既にあります。",
                name=i.talent.name,
                title=i.request.title,
            )
        )
        for i in plan.items
        if (i.request_id, i.talent_id) in taken
    ]


def send_plan(coordinator: User, plan: MatchPlan, message: str, reply_by: date) -> list[Offer]:
    """Send every pair as an offer at once; nothing is sent when any pair is invalid."""
    _ensure_coordinator(coordinator, plan.prefecture_id)
    _ensure_draft(plan)
    problems = plan_problems(plan)
    if problems:
        raise PlanProblems(problems)
    sent = offers.send_offers(
        coordinator,
        [(i.request_id, i.talent_id, i.hours) for i in plan.items],
        message,
        reply_by,
        source="plan",
    )
    plan.status = PlanStatus.sent
    plan.sent_at = utcnow()
    db.session.flush()
    return sent


def uncovered(plan: MatchPlan) -> list[tuple[SupportRequest, str, int]]:
    """The recruiting requests the plan leaves without anyone, each with why (a code)
    and how many candidates it had: ``full`` (no seat open), ``no_eligible`` (nobody
    meets the rules), ``no_hours`` (nobody has the hours free), ``below_min`` (nobody
    reaches the plan's minimum score), ``taken`` (its candidates serve other requests)."""
    import numpy as np

    placed = select(MatchPlanItem.request_id).where(MatchPlanItem.plan_id == plan.id)
    requests = bridge.load_requests(plan.prefecture_id, leave_out=placed)
    if not requests:
        return []
    specs = bridge.request_specs(requests)
    pool = bridge.prepare_pool(plan.prefecture_id)
    policy = bridge.policy_for(requests[0].prefecture, fairness=plan.fairness)
    counts: dict[str, tuple[str, int]] = {}
    for sc in pool.index.score_chunks(specs, policy, full_hours=True):
        for i, spec in enumerate(sc.requests):
            usable = np.isfinite(sc.score[i])
            above = int((usable & (sc.score[i] >= plan.min_score)).sum())
            if spec.headcount == 0:
                counts[spec.id] = ("full", 0)
            elif not sc.eligible[i].any():
                counts[spec.id] = ("no_eligible", 0)
            elif not usable.any():
                counts[spec.id] = ("no_hours", 0)
            elif above == 0:
                counts[spec.id] = ("below_min", 0)
            else:
                counts[spec.id] = ("taken", above)
    return [(r, *counts[str(r.id)]) for r in requests]
