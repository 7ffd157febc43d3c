"""Ranking mode: top-k eligible proposals per request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .index import TalentIndex
from .specs import Policy, RankingResult, RequestSpec, TalentProfile
from .synonyms import SynonymTable
from .weights import Weights


def rank(
    requests: Sequence[RequestSpec],
    talent: Sequence[TalentProfile],
    k: int = 10,
    policy: Policy | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    weights: Weights | None = None,
    synonyms: SynonymTable | None = None,
) -> dict[str, RankingResult]:
    """Rank ``talent`` for each request; keyed by request id.

    Builds a ``TalentIndex`` each call; when ranking repeatedly against the same
    pool, build the index once and call ``index.rank`` instead.
    """
    index = TalentIndex.build(talent, weights=weights, synonyms=synonyms, labels=labels)
    return index.rank_many(requests, k, policy)
