"""TalentIndex: fit the vectoriser once on a pool, then rank requests sparsely in chunks.

Requests are grouped by prefecture (talent never cross prefectures), and each chunk of
requests is scored with sparse products against that prefecture's talent only, then
cut to the top k with ``argpartition``; the national request × talent matrix is never
built.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from .eligibility import TalentArrays, chunk_eligibility
from .features import ConceptSpace, Doc, DocMaker, SkillSpace, make_vectorizer
from .reasons import explain
from .specs import Features, Policy, Proposal, RankingResult, RequestSpec, TalentProfile
from .synonyms import SynonymTable
from .taxonomy import DEFAULT_LABELS
from .weights import Weights


@dataclass(frozen=True)
class _Group:
    """One prefecture's talent positions with their transposed feature matrices."""

    pool: np.ndarray
    text_t: sp.csr_matrix
    concept_t: sp.csr_matrix
    skill_t: sp.csr_matrix
    hours: np.ndarray


@dataclass(frozen=True)
class ScoredChunk:
    """Scores and features of a chunk of requests against one prefecture's pool."""

    requests: Sequence[RequestSpec]
    docs: Sequence[Doc]
    pool: np.ndarray
    score: np.ndarray  # -inf where ineligible
    text: np.ndarray
    concept: np.ndarray
    skill: np.ndarray
    hours: np.ndarray
    counts: list[dict[str, int]]


class TalentIndex:
    """A pool prepared for matching; build once, rank many requests."""

    def __init__(
        self,
        talent: Sequence[TalentProfile],
        weights: Weights,
        synonyms: SynonymTable,
        labels: Mapping[str, str],
    ):
        self.talent = list(talent)
        self.weights = weights
        self.synonyms = synonyms
        self.labels = dict(labels)
        self.doc_maker = DocMaker(synonyms, self.labels)
        self.docs = [self.doc_maker.talent(t) for t in self.talent]
        self.vectorizer = make_vectorizer(weights)
        # an empty pool still needs a fitted vocabulary (a blank one raises)
        text = self.vectorizer.fit_transform([d.text for d in self.docs] or [" "])
        self.concepts = ConceptSpace(synonyms.canonicals, [d.concepts for d in self.docs])
        concept = self.concepts.transform([d.concepts for d in self.docs])
        codes = set(self.labels) | {c for t in self.talent for c in t.skills}
        self.skills = SkillSpace(codes)
        skill = self.skills.transform([t.skills for t in self.talent])
        self.arrays = TalentArrays.build(self.talent)
        self.position = {t.id: i for i, t in enumerate(self.talent)}
        self.hours = np.array([t.available_hours for t in self.talent], dtype=np.float32)
        by_prefecture: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(self.talent):
            by_prefecture[t.prefecture_code].append(i)
        self.groups = {
            code: _Group(
                pool=np.array(rows, dtype=np.int64),
                text_t=text[rows].T.tocsr(),
                concept_t=concept[rows].T.tocsr(),
                skill_t=skill[rows].T.tocsr(),
                hours=self.hours[rows],
            )
            for code, rows in by_prefecture.items()
        }

    @classmethod
    def build(
        cls,
        talent: Sequence[TalentProfile],
        *,
        weights: Weights | None = None,
        synonyms: SynonymTable | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> TalentIndex:
        """Prepare ``talent`` for matching; defaults load the seed weights and synonyms."""
        return cls(
            talent,
            weights or Weights.load(),
            synonyms or SynonymTable.load(),
            DEFAULT_LABELS if labels is None else labels,
        )

    def score_chunks(
        self,
        requests: Sequence[RequestSpec],
        policy: Policy,
        *,
        full_hours: bool = False,
        chunk_size: int = 256,
    ) -> Iterator[ScoredChunk]:
        """Score requests per prefecture chunk; ``full_hours`` also drops talent with
        fewer remaining hours than the request needs (plan edges)."""
        by_prefecture: dict[str, list[RequestSpec]] = defaultdict(list)
        for r in requests:
            by_prefecture[r.prefecture_code].append(r)
        empty = np.zeros(0, dtype=np.int64)
        for code, group_requests in by_prefecture.items():
            group = self.groups.get(code)
            for start in range(0, len(group_requests), chunk_size):
                chunk = group_requests[start : start + chunk_size]
                yield self._score(chunk, group, empty, policy, full_hours)

    def _score(self, chunk, group, empty, policy, full_hours) -> ScoredChunk:
        docs = [self.doc_maker.request(r) for r in chunk]
        pool = group.pool if group is not None else empty
        ok, counts = chunk_eligibility(
            chunk, pool, self.arrays, len(self.talent) - len(pool), policy
        )
        shape = (len(chunk), len(pool))
        if group is None:
            zeros = np.zeros(shape, dtype=np.float32)
            return ScoredChunk(chunk, docs, pool, zeros, zeros, zeros, zeros, zeros, counts)
        text = (self.vectorizer.transform([d.text for d in docs]) @ group.text_t).toarray()
        concept = (self.concepts.transform([d.concepts for d in docs]) @ group.concept_t).toarray()
        req_skills = self.skills.transform([r.skills for r in chunk])
        n_skills = np.maximum(1.0, np.asarray(req_skills.sum(axis=1), dtype=np.float32))
        skill = (req_skills @ group.skill_t).toarray() / n_skills
        need = np.array([max(1, r.hours_per_month) for r in chunk], dtype=np.float32)[:, None]
        hours = np.minimum(1.0, group.hours[None, :] / need)
        w = self.weights
        score = w.text * text + w.concept * concept + w.skill * skill + w.hours * hours
        if full_hours:
            ok = ok & (group.hours[None, :] >= need)
        score = np.where(ok, score, -np.inf)
        return ScoredChunk(chunk, docs, pool, score, text, concept, skill, hours, counts)

    def rank_many(
        self,
        requests: Sequence[RequestSpec],
        k: int = 10,
        policy: Policy | None = None,
        *,
        explain_reasons: bool = True,
    ) -> dict[str, RankingResult]:
        """Top ``k`` eligible proposals per request, with reasons and rule counts."""
        policy = policy or Policy()
        results: dict[str, RankingResult] = {}
        for sc in self.score_chunks(requests, policy):
            rows, cols = top_k(sc.score, k)
            for i, request in enumerate(sc.requests):
                proposals = []
                for rank, j in enumerate(cols[i][rows[i]], start=1):
                    proposals.append(self._proposal(sc, i, int(j), rank, explain_reasons))
                eligible = int(np.isfinite(sc.score[i]).sum()) if sc.score.size else 0
                results[request.id] = RankingResult(
                    request.id,
                    tuple(proposals),
                    MappingProxyType(sc.counts[i]),
                    eligible,
                )
        return results

    def rank(
        self, request: RequestSpec, k: int = 10, policy: Policy | None = None
    ) -> RankingResult:
        """Top ``k`` eligible proposals for one request."""
        return self.rank_many([request], k, policy)[request.id]

    def explain_pairs(
        self,
        requests: Sequence[RequestSpec],
        pairs: Iterable[tuple[str, str]],
        policy: Policy | None = None,
    ) -> dict[tuple[str, str], Proposal]:
        """Score, features and reasons of given (request id, talent id) pairs, e.g. a plan's
        placements or a coordinator's swap; ineligible or unknown pairs are left out
        (``rank`` is 0: these pairs were chosen, not ranked)."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for request_id, talent_id in pairs:
            wanted[request_id].add(talent_id)
        chosen = [r for r in requests if r.id in wanted]
        out: dict[tuple[str, str], Proposal] = {}
        for sc in self.score_chunks(chosen, policy or Policy()):
            column = {int(pos): j for j, pos in enumerate(sc.pool)}
            for i, request in enumerate(sc.requests):
                for talent_id in wanted[request.id]:
                    j = column.get(self.position.get(talent_id, -1))
                    if j is not None and np.isfinite(sc.score[i, j]):
                        out[(request.id, talent_id)] = self._proposal(sc, i, j, 0, True)
        return out

    def _proposal(self, sc: ScoredChunk, i: int, j: int, rank: int, reasons: bool) -> Proposal:
        features = Features(
            float(sc.text[i, j]),
            float(sc.concept[i, j]),
            float(sc.skill[i, j]),
            float(sc.hours[i, j]),
        )
        pos = int(sc.pool[j])
        why = (
            explain(
                sc.requests[i],
                sc.docs[i],
                self.talent[pos],
                self.docs[pos],
                features,
                self.labels,
                self.synonyms,
            )
            if reasons
            else ()
        )
        return Proposal(self.talent[pos].id, rank, round(float(sc.score[i, j]), 6), why, features)


def top_k(score: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices of the ``k`` best finite scores per row, best first.

    Returns (valid mask, columns), both of shape (rows, min(k, n_cols)).
    """
    n_rows, n_cols = score.shape
    kk = min(k, n_cols)
    if kk == 0:
        return np.zeros((n_rows, 0), bool), np.zeros((n_rows, 0), np.int64)
    part = np.argpartition(-score, kk - 1, axis=1)[:, :kk]
    part_scores = np.take_along_axis(score, part, axis=1)
    order = np.argsort(-part_scores, axis=1, kind="stable")
    cols = np.take_along_axis(part, order, axis=1)
    valid = np.isfinite(np.take_along_axis(score, cols, axis=1))
    return valid, cols
