"""Plan mode: a capacity-respecting assignment of talent to a prefecture's open requests.

This is a generalised assignment problem, solved exactly per prefecture with
``scipy.optimize.milp`` (HiGHS) over the sparse top-k candidate edges:

    max  Σ s_e x_e + Σ b_r y_r + Σ b_m z_m
    s.t. Σ_{e∋t} hours(r_e) x_e ≤ remaining hours of t      (hours, not seats)
         Σ_{e∋r} x_e ≤ remaining headcount of r
         y_r ≤ Σ_{e∋r} x_e,  z_m ≤ Σ_{e∋m} x_e                (fairness: first seat)
         x, y, z binary — one x per (talent, request), so no one sits twice

The LP relaxation gives the bound reported with every plan. If HiGHS stops early
without a solution, the greedy plan is returned and the status says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .edges import Edges, bonuses, candidate_edges
from .index import TalentIndex
from .solver import lp_bound, solve
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
    parts = []
    for code, edges in candidate_edges(index, requests, policy, allowed).items():
        chosen = _placements(edges, greedy_choice(edges, index), index)
        obj = objective(chosen, edges.requests, policy, index.weights)
        bound = lp_bound(edges, index, policy) if with_bound else obj
        parts.append(_Part(code, chosen, "greedy", obj, bound, bound))
    return _combine(parts, "greedy")


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
    parts = []
    for code, edges in candidate_edges(index, requests, policy, allowed).items():
        chosen, status, bound, proven = solve(edges, index, policy)
        if chosen is None:
            log.warning("plan for prefecture %s fell back to greedy: %s", code, status)
            chosen, status = greedy_choice(edges, index), f"fallback_greedy ({status})"
        picked = _placements(edges, chosen, index)
        obj = objective(picked, edges.requests, policy, index.weights)
        parts.append(_Part(code, picked, status, obj, max(bound, obj), max(proven, obj)))
    return _combine(parts, "milp")
