"""Ranking quality metrics over graded relevance (0–3).

A proposal counts as relevant for P@k, Recall@k and MRR when its grade is at least
``RELEVANT`` (2); NDCG uses the graded gain 2^g − 1. Grades of ineligible talent are
taken as 0 by the caller: a good proposal must be relevant *and* allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RELEVANT = 2


def precision_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Share of the first ``k`` slots holding a relevant talent."""
    return sum(grades.get(t, 0) >= RELEVANT for t in ranked[:k]) / k


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float | None:
    """Normalised discounted cumulative gain at ``k``; None when nothing is relevant."""

    def dcg(gains: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    if ideal == 0:
        return None
    return dcg([grades.get(t, 0) for t in ranked]) / ideal


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float | None:
    """1 / rank of the first relevant talent (0 if none ranked); None when none exist."""
    if not any(g >= RELEVANT for g in grades.values()):
        return None
    for i, t in enumerate(ranked, start=1):
        if grades.get(t, 0) >= RELEVANT:
            return 1 / i
    return 0.0


def mean(values: Sequence[float | None]) -> float:
    """Mean over the defined values."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else 0.0
