"""Plan mode: a capacity-respecting assignment of talent to a prefecture's open requests.

This is a generalised assignment problem, solved exactly per prefecture with
``scipy.optimize.milp`` (HiGHS) over the sparse top-k candidate edges:

    max  Σ s_e x_e + Σ b_r y_r + Σ b_m z_m
    s.t. Σ_{e∋t} hours(r_e) x_e ≤ remaining hours of t      (hours, not seats)
         Σ_{e∋r} x_e ≤ remaining headcount of r
         y_r ≤ Σ_{e∋r} x_e,  z_m ≤ Σ_{e∋m} x_e                (fairness: first seat)
         x, y, z binary — one x per (talent, request), so no one sits twice

The LP relaxation gives the bound reported with every plan. The MILP is first solved
on each request's best few edges (see _solve), which is exact to the same tolerance.
If HiGHS stops early without a solution, the greedy plan is returned and the status
says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.optimize import Bounds, milp

from .edges import Edges, bonuses, candidate_edges
from .index import TalentIndex
from .solver import _STATUS, build_model, lp_bound
from .specs import Placement, Plan, Policy, RequestSpec, TalentProfile
from .synonyms import SynonymTable
from .weights import Weights

log = logging.getLogger(__name__)


def objective(
    placements: Sequence[Placement],
    requests: Sequence[RequestSpec],
    policy: Policy,
    weights: Weights,
) -> float:
    """Pair scores plus, with fairness on, the first-seat bonuses actually earned."""
    total = sum(a.score for a in placements)
    if not policy.fairness:
        return total
    first, municipal = bonuses(requests, weights)
    seated = {a.request_id for a in placements}
    by_id = {r.id: i for i, r in enumerate(requests)}
    total += sum(first[by_id[rid]] for rid in seated if rid in by_id)
    munis = {requests[by_id[rid]].municipality_code for rid in seated if rid in by_id}
    return total + sum(municipal.get(m, 0.0) for m in munis)


def _placements(edges: Edges, chosen: np.ndarray, index: TalentIndex) -> list[Placement]:
    out = []
    for e in np.flatnonzero(chosen):
        request = edges.requests[edges.req[e]]
        talent_id = index.talent[edges.talent[e]].id
        out.append(Placement(request.id, talent_id, float(edges.score[e]), request.hours_per_month))
    return out


def greedy_choice(edges: Edges, index: TalentIndex) -> np.ndarray:
    """Highest score first, taking an edge whenever hours and headcount still allow."""
    hours_left = index.hours.astype(np.int64).copy()
    seats = np.array([r.headcount for r in edges.requests], dtype=np.int64)
    need = np.array([r.hours_per_month for r in edges.requests], dtype=np.int64)
    chosen = np.zeros(len(edges.score), dtype=bool)
    for e in np.argsort(-edges.score, kind="stable"):
        r, t = edges.req[e], edges.talent[e]
        if seats[r] > 0 and hours_left[t] >= need[r]:
            chosen[e] = True
            seats[r] -= 1
            hours_left[t] -= need[r]
    return chosen


@dataclass(frozen=True)
class _Part:
    """The plan of one prefecture."""

    code: str
    placements: list[Placement]
    status: str
    objective: float
    lp_bound: float
    proven_bound: float


def _combine(parts: list[_Part], method: str) -> Plan:
    placements = [a for p in parts for a in p.placements]
    obj = sum(p.objective for p in parts)
    bound = sum(p.lp_bound for p in parts)
    proven = sum(p.proven_bound for p in parts)
    statuses = {p.code: p.status for p in parts}
    worst = next((s for s in statuses.values() if s != "optimal"), "optimal")

    def gap(b: float) -> float:
        return max(0.0, (b - obj) / b) if b > 1e-12 else 0.0

    return Plan(
        tuple(sorted(placements, key=lambda a: (a.request_id, -a.score, a.talent_id))),
        worst,
        float(sum(a.score for a in placements)),
        float(obj),
        float(bound),
        gap(bound),
        method,
        MappingProxyType(statuses),
        float(proven),
        gap(proven),
    )


def _index(talent, index, weights, synonyms, labels) -> TalentIndex:
    if index is not None:
        return index
    return TalentIndex.build(talent, weights=weights, synonyms=synonyms, labels=labels)


def greedy_plan(
    requests: Sequence[RequestSpec],
    talent: Sequence[TalentProfile] = (),
    policy: Policy | None = None,
    *,
    index: TalentIndex | None = None,
    weights: Weights | None = None,
    synonyms: SynonymTable | None = None,
    labels: Mapping[str, str] | None = None,
    with_bound: bool = True,
    allowed: Iterable[str] | None = None,
) -> Plan:
    """The plain greedy plan (highest score first), for comparison with the optimum."""
    policy = policy or Policy()
    index = _index(talent, index, weights, synonyms, labels)
    parts = [
        _greedy_part(code, edges, index, policy, with_bound)
        for code, edges in candidate_edges(index, requests, policy, allowed).items()
    ]
    return _combine(parts, "greedy")


#: The model is first solved on each request's FIRST best candidate edges (and every edge
#: the LP relaxation uses); see _solve. On the plan bench (2,000 talent × 600 requests)
#: 4 is within the gap of the whole model's bound with a third of 8's solver time
#: (1,050.670 against 1,050.674; 3 is too, 2 is not and falls back to the whole model).
FIRST = 4


def _best_edges(edges: Edges, k: int, also: np.ndarray) -> np.ndarray:
    """Mask of each request's ``k`` best-scoring edges, or in ``also``."""
    order = np.lexsort((-edges.score, edges.req))
    req = edges.req[order]
    starts = np.searchsorted(req, req, side="left")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts
    return (rank < k) | also


def _milp(edges: Edges, index: TalentIndex, policy: Policy, time_limit: float):
    c, constraint, n = build_model(edges, index, policy)
    res = milp(
        c,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=constraint,
        options={"time_limit": time_limit, "mip_rel_gap": policy.mip_rel_gap},
    )
    return res, _STATUS.get(res.status, f"status_{res.status}")


def _subset(edges: Edges, keep: np.ndarray) -> Edges:
    return Edges(edges.requests, edges.req[keep], edges.talent[keep], edges.score[keep])


def _solve(edges: Edges, index: TalentIndex, policy: Policy):
    """(chosen edge mask or None, status, LP bound, proven bound), as solver.solve, faster.

    The LP relaxation over all candidate edges comes first (it is the bound reported).
    Then the MILP is solved on each request's FIRST best edges plus every edge the LP
    solution uses: a much smaller model. Its plan is feasible for the whole model and is
    kept when it is within ``policy.mip_rel_gap`` of the whole model's LP bound, the same
    tolerance HiGHS stops at (against its own bound, never above the LP's), so the plan
    is as good as the whole model's would be; otherwise the whole model is solved.
    """
    if len(edges.score) == 0:
        return np.zeros(0, dtype=bool), "optimal", 0.0, 0.0
    started = time.monotonic()
    c, constraint, n = build_model(edges, index, policy)
    relaxed = milp(c, integrality=np.zeros(n), bounds=Bounds(0, 1), constraints=constraint)
    bound = float(-relaxed.fun) if relaxed.x is not None else float("inf")
    if relaxed.x is not None and policy.candidates > FIRST:
        keep = _best_edges(edges, FIRST, relaxed.x[: len(edges.score)] > 1e-9)
        if not keep.all():
            res, status = _milp(_subset(edges, keep), index, policy, policy.time_limit)
            if res.x is not None and -res.fun >= bound * (1 - policy.mip_rel_gap) - 1e-9:
                # within the tolerance of the whole model's bound: optimal in HiGHS's own
                # sense even if the smaller model ran out of time proving its own optimum
                chosen = np.zeros(len(edges.score), dtype=bool)
                chosen[np.flatnonzero(keep)[res.x[: int(keep.sum())] > 0.5]] = True
                return chosen, "optimal" if status == "time_limit" else status, bound, bound
    left = max(policy.time_limit - (time.monotonic() - started), 0.1)
    res, status = _milp(edges, index, policy, left)
    dual = getattr(res, "mip_dual_bound", None)
    proven = min(bound, float(-dual)) if dual is not None and np.isfinite(dual) else bound
    if res.x is None:
        return None, status, bound, proven
    return res.x[: len(edges.score)] > 0.5, status, bound, proven


def _optimal_part(code: str, edges: Edges, index: TalentIndex, policy: Policy):
    chosen, status, bound, proven = _solve(edges, index, policy)
    if chosen is None:
        log.warning("plan for prefecture %s fell back to greedy: %s", code, status)
        chosen, status = greedy_choice(edges, index), f"fallback_greedy ({status})"
    picked = _placements(edges, chosen, index)
    obj = objective(picked, edges.requests, policy, index.weights)
    return _Part(code, picked, status, obj, max(bound, obj), max(proven, obj))


def _greedy_part(code: str, edges: Edges, index: TalentIndex, policy: Policy, with_bound: bool):
    chosen = _placements(edges, greedy_choice(edges, index), index)
    obj = objective(chosen, edges.requests, policy, index.weights)
    bound = lp_bound(edges, index, policy) if with_bound else obj
    return _Part(code, chosen, "greedy", obj, bound, bound)


def optimal_plan(
    requests: Sequence[RequestSpec],
    talent: Sequence[TalentProfile] = (),
    policy: Policy | None = None,
    *,
    index: TalentIndex | None = None,
    weights: Weights | None = None,
    synonyms: SynonymTable | None = None,
    labels: Mapping[str, str] | None = None,
    allowed: Iterable[str] | None = None,
) -> Plan:
    """The score-maximising plan per prefecture (MILP, HiGHS), with LP bound and gap.

    Pass a prebuilt ``index`` to reuse a fitted pool; otherwise one is built from
    ``talent``. ``policy.fairness`` adds the first-seat bonuses to the objective;
    ``allowed`` (talent ids) limits who may be placed without changing any score.
    """
    policy = policy or Policy()
    index = _index(talent, index, weights, synonyms, labels)
    parts = [
        _optimal_part(code, edges, index, policy)
        for code, edges in candidate_edges(index, requests, policy, allowed).items()
    ]
    return _combine(parts, "milp")


def optimal_and_greedy(
    requests: Sequence[RequestSpec],
    policy: Policy,
    *,
    index: TalentIndex,
    allowed: Iterable[str] | None = None,
) -> tuple[Plan, Plan]:
    """``optimal_plan`` and the greedy comparison (``greedy_plan(with_bound=False)``) on
    the same candidate edges, built once."""
    optimal, greedy = [], []
    for code, edges in candidate_edges(index, requests, policy, allowed).items():
        optimal.append(_optimal_part(code, edges, index, policy))
        greedy.append(_greedy_part(code, edges, index, policy, False))
    return _combine(optimal, "milp"), _combine(greedy, "greedy")
