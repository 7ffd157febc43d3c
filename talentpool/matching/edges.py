"""Candidate edges of a plan: the sparse top-k eligible (request, talent) pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .index import TalentIndex, top_k
from .specs import Policy, RequestSpec
from .weights import Weights


@dataclass(frozen=True)
class Edges:
    """Candidate (request, talent) pairs of one prefecture with their scores."""

    requests: list[RequestSpec]
    req: np.ndarray  # index into requests
    talent: np.ndarray  # position in the index
    score: np.ndarray


def candidate_edges(
    index: TalentIndex,
    requests: Sequence[RequestSpec],
    policy: Policy,
    allowed: Iterable[str] | None = None,
) -> dict[str, Edges]:
    """Top ``policy.candidates`` eligible talent per open request, by prefecture.

    Only talent whose remaining hours cover the request's hours, who are in ``allowed``
    (talent ids) when given, and whose pair score reaches ``policy.min_score`` become
    edges; scores are as on the ranking.
    """
    open_requests = [r for r in requests if r.headcount > 0]
    parts: dict[str, list[tuple[RequestSpec, np.ndarray, np.ndarray]]] = defaultdict(list)
    for sc in index.score_chunks(open_requests, policy, full_hours=True, allowed=allowed):
        score = np.where(sc.score >= policy.min_score, sc.score, -np.inf)
        valid, cols = top_k(score, policy.candidates)
        for i, request in enumerate(sc.requests):
            chosen = cols[i][valid[i]]
            parts[request.prefecture_code].append(
                (request, sc.pool[chosen], sc.score[i, chosen].astype(np.float64))
            )
    out = {}
    for code, rows in parts.items():
        reqs = [r for r, _, _ in rows]
        req = np.concatenate([np.full(len(t), i) for i, (_, t, _) in enumerate(rows)])
        out[code] = Edges(
            reqs,
            req.astype(np.int64),
            np.concatenate([t for _, t, _ in rows]).astype(np.int64),
            np.concatenate([s for _, _, s in rows]),
        )
    return out


def bonuses(requests: Sequence[RequestSpec], weights: Weights) -> tuple[np.ndarray, dict]:
    """Per-request first-seat bonus and per-municipality first-seat bonus."""
    first = np.array(
        [
            0.0
            if r.seats_filled > 0
            else weights.first_seat_bonus
            + (weights.small_municipality_bonus if r.municipality_small else 0.0)
            for r in requests
        ]
    )
    municipal = {
        r.municipality_code: weights.unsupported_municipality_bonus
        for r in requests
        if not r.municipality_supported and weights.unsupported_municipality_bonus > 0
    }
    return first, municipal
