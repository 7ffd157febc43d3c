"""The MILP model of a prefecture's plan and its LP relaxation (HiGHS via SciPy)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .edges import Edges, bonuses
from .index import TalentIndex
from .specs import Policy

_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "solver_error"}


def build_model(edges: Edges, index: TalentIndex, policy: Policy):
    """Objective (to minimise), constraint and variable count of the plan MILP.

    Columns: one x per edge, then with fairness one y per request and one z per
    municipality that earn a first-seat bonus (y ≤ Σx over its edges, y ≤ 1).
    """
    n_e = len(edges.score)
    requests = edges.requests
    need = np.array([r.hours_per_month for r in requests], dtype=np.float64)
    talent_ids, t_row = np.unique(edges.talent, return_inverse=True)
    cols = np.arange(n_e)
    seat_rows = sp.csr_matrix((np.ones(n_e), (edges.req, cols)), shape=(len(requests), n_e))
    rows = [
        sp.csr_matrix((need[edges.req], (t_row, cols)), shape=(len(talent_ids), n_e)),
        seat_rows,
    ]
    upper = [
        _usable_hours(index.hours[talent_ids], need[edges.req], t_row, len(talent_ids)),
        np.array([r.headcount for r in requests], dtype=np.float64),
    ]
    gains = [edges.score]
    if policy.fairness:
        first, municipal = bonuses(requests, index.weights)
        muni = np.array([r.municipality_code for r in requests])
        groups = [(np.array([r]), first[r]) for r in np.flatnonzero(first > 0)] + [
            (np.flatnonzero(muni == m), b) for m, b in municipal.items()
        ]
        if groups:
            n_g = len(groups)
            g_rows = np.concatenate([np.full(len(m), g) for g, (m, _) in enumerate(groups)])
            g_cols = np.concatenate([m for m, _ in groups])
            member = sp.csr_matrix(
                (np.ones(len(g_rows)), (g_rows, g_cols)), shape=(n_g, len(requests))
            )
            link = sp.hstack([-(member @ seat_rows), sp.identity(n_g)])  # y - Σx ≤ 0
            rows = [sp.hstack([b, sp.csr_matrix((b.shape[0], n_g))]) for b in rows] + [link]
            upper.append(np.zeros(n_g))
            gains.append(np.array([b for _, b in groups]))
    a = sp.vstack(rows).tocsr()
    c = -np.concatenate(gains)
    return c, LinearConstraint(a, -np.inf, np.concatenate(upper)), len(c)


def _usable_hours(hours: np.ndarray, edge_need: np.ndarray, t_row: np.ndarray, n_t: int):
    """Remaining hours rounded down to what whole requests can actually use.

    Any set of seats uses a multiple of the gcd of the talent's candidate hours
    (e.g. 47 h with 10/20/30 h requests can use at most 40 h). This is exact for
    integer plans and tightens the LP relaxation, so bounds are closer and HiGHS
    proves optimality sooner.
    """
    g = np.zeros(n_t, dtype=np.int64)
    np.gcd.at(g, t_row, edge_need.astype(np.int64))
    g = np.maximum(g, 1)
    return (np.floor(hours / g) * g).astype(np.float64)


def lp_bound(edges: Edges, index: TalentIndex, policy: Policy) -> float:
    """Optimum of the LP relaxation: no integer plan on these edges scores more."""
    if len(edges.score) == 0:
        return 0.0
    c, constraint, n = build_model(edges, index, policy)
    res = milp(c, integrality=np.zeros(n), bounds=Bounds(0, 1), constraints=constraint)
    return float(-res.fun) if res.x is not None else float("inf")


def solve(edges: Edges, index: TalentIndex, policy: Policy):
    """Exact plan: (chosen edge mask or None, status, LP bound, HiGHS's proven bound).

    The proven (dual) bound is at least as tight as the LP bound: HiGHS adds cuts
    and branches; with status "optimal" it is within ``policy.mip_rel_gap``.
    """
    if len(edges.score) == 0:
        return np.zeros(0, dtype=bool), "optimal", 0.0, 0.0
    c, constraint, n = build_model(edges, index, policy)
    relaxed = milp(c, integrality=np.zeros(n), bounds=Bounds(0, 1), constraints=constraint)
    bound = float(-relaxed.fun) if relaxed.x is not None else float("inf")
    res = milp(
        c,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=constraint,
        options={"time_limit": policy.time_limit, "mip_rel_gap": policy.mip_rel_gap},
    )
    status = _STATUS.get(res.status, f"status_{res.status}")
    dual = getattr(res, "mip_dual_bound", None)
    proven = min(bound, float(-dual)) if dual is not None and np.isfinite(dual) else bound
    if res.x is None:
        return None, status, bound, proven
    return res.x[: len(edges.score)] > 0.5, status, bound, proven
