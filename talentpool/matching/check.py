"""Check a plan — from the solver or edited by a coordinator — against the hard rules."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .eligibility import failed_rules
from .specs import Plan, Policy, RequestSpec, TalentProfile, Violation


def check_plan(
    plan: Plan | Iterable[tuple[str, str]],
    requests: Sequence[RequestSpec],
    talent: Sequence[TalentProfile],
    policy: Policy | None = None,
) -> list[Violation]:
    """Every broken rule of ``plan`` (pairs of request id, talent id); empty = valid.

    Kinds: ``unknown`` id, ``duplicate`` pair, ``ineligible`` pair, ``hours`` over a
    talent's remaining hours, ``headcount`` over a request's remaining seats.
    """
    policy = policy or Policy()
    pairs = plan.pairs() if isinstance(plan, Plan) else list(plan)
    req_by_id = {r.id: r for r in requests}
    tal_by_id = {t.id: t for t in talent}
    out: list[Violation] = []
    seen: Counter[tuple[str, str]] = Counter()
    hours: dict[str, int] = defaultdict(int)
    seats: dict[str, int] = defaultdict(int)
    for rid, tid in pairs:
        request, person = req_by_id.get(rid), tal_by_id.get(tid)
        if request is None or person is None:
            out.append(Violation("unknown", rid, tid, "依頼または人材が見つかりません"))
            continue
        seen[(rid, tid)] += 1
        if seen[(rid, tid)] == 2:
            out.append(Violation("duplicate", rid, tid, "同じ人材が同じ依頼に重複して配置"))
        if seen[(rid, tid)] > 1:
            continue
        rules = failed_rules(request, person, policy)
        if rules:
            out.append(Violation("ineligible", rid, tid, "対象外: " + ", ".join(rules)))
        hours[tid] += request.hours_per_month
        seats[rid] += 1
    for tid, used in hours.items():
        cap = tal_by_id[tid].available_hours
        if used > cap:
            out.append(Violation("hours", "", tid, f"月{used}時間を配置(上限 月{cap}時間)"))
    for rid, used in seats.items():
        cap = req_by_id[rid].headcount
        if used > cap:
            out.append(Violation("headcount", rid, "", f"{used}名を配置(募集 {cap}名)"))
    return out
