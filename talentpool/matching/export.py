"""Rows for a proposals CSV: ``request_id,talent_id,rank,score,reason``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .specs import Plan, RankingResult, Reason

PROPOSAL_HEADER = ["request_id", "talent_id", "rank", "score", "reason"]


def write_proposals_rows(
    result: Mapping[str, RankingResult] | Plan,
    reasons: Mapping[tuple[str, str], Sequence[Reason]] | None = None,
) -> list[list]:
    """Header plus one row per proposal (ranking) or per placement (plan).

    The last cell of each row holds the proposal's reasons (a tuple of ``Reason``) for
    the caller to render in its language. A plan's rows are ranked by score within each
    request; pass ``reasons`` keyed by (request_id, talent_id) to fill their reasons.
    """
    rows = [list(PROPOSAL_HEADER)]
    if isinstance(result, Plan):
        rank_in: dict[str, int] = {}
        for a in sorted(result.placements, key=lambda a: (a.request_id, -a.score)):
            rank_in[a.request_id] = rank_in.get(a.request_id, 0) + 1
            why = (reasons or {}).get((a.request_id, a.talent_id), ())
            rows.append(
                [a.request_id, a.talent_id, str(rank_in[a.request_id]), f"{a.score:.4f}", why]
            )
        return rows
    for request_id, ranking in result.items():
        for p in ranking.proposals:
            rows.append([request_id, p.talent_id, str(p.rank), f"{p.score:.4f}", p.reasons])
    return rows
