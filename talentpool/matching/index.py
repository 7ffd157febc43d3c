"""TalentIndex: a pool prepared once, then requests ranked in chunks per prefecture.

Scoring is two-stage. The eligibility rules decide who may be proposed at all. Among the
eligible talent of a request, each component — lexical (BM25 over character n-grams),
semantic (cosine of document vectors), skill overlap (Jaccard of codes) and hours fit —
is standardised (mean 0, standard deviation 1 over that request's eligible talent), so
a component that happens to spread wide cannot drown the others. The weighted mean of
the standardised components, through a logistic, is the pair's score in (0, 1). Every
page and file that shows a pair's score computes it this way over the same eligible set,
so the ranking, the plan and a swap agree.

Requests are grouped by prefecture (talent never cross prefectures); each chunk is
scored against its prefecture's talent only, and the national request × talent matrix
is never built.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from .documents import Analysed, analyse_many, request_text, talent_text
from .eligibility import TalentArrays, chunk_eligibility
from .evidence import evidence
from .lexical import Bm25
from .normalize import normalize
from .reasons import Side, explain
from .semantic import SemanticSpace
from .specs import COMPONENTS, Features, Policy, Proposal, RankingResult, RequestSpec, TalentProfile
from .synonyms import SynonymTable
from .taxonomy import DEFAULT_LABELS
from .vectors import word_vectors
from .weights import Weights


@dataclass(frozen=True)
class _Group:
    """One prefecture's talent positions with their feature matrices."""

    pool: np.ndarray
    lexical_t: sp.csr_matrix  # n-grams × talent
    vectors: np.ndarray  # talent × dim
    skill_t: sp.csr_matrix  # codes × talent
    skill_counts: np.ndarray
    hours: np.ndarray
    evidence: np.ndarray


@dataclass(frozen=True)
class Standardised:
    """One component of a chunk: raw values (requests × pool) and, per request, the
    mean and 1/std over its eligible talent (scale 0 when the values are flat)."""

    raw: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Standardised values of the pairs (rows[k], cols[k])."""
        return (self.raw[rows, cols] - self.mean[rows]) * self.scale[rows]


@dataclass(frozen=True)
class ScoredChunk:
    """Scores and standardised components of a chunk of requests against one pool.

    ``score`` is -inf where the pair is not a candidate (ineligible, or cut by the
    caller's hours or talent filter); ``eligible`` is the set the standardisation used.
    """

    requests: Sequence[RequestSpec]
    texts: Sequence[str]
    docs: Sequence[Analysed]
    vectors: np.ndarray
    pool: np.ndarray
    score: np.ndarray
    eligible: np.ndarray
    components: Mapping[str, Standardised]
    counts: list[dict[str, int]]
    sides: dict[int, Side] = field(default_factory=dict)

    def side(self, i: int) -> Side:
        """Request ``i``'s text as the reasons see it (made once per request)."""
        if i not in self.sides:
            self.sides[i] = Side.of(self.texts[i], self.docs[i].concepts)
        return self.sides[i]


def standardise(
    values: np.ndarray, mask: np.ndarray, n: np.ndarray
) -> tuple[Standardised, np.ndarray]:
    """Per row, the mean and 1/std of the masked entries (``n`` of them, at least 1),
    and the centred values (0 outside the mask)."""
    centred = np.where(mask, values, np.float32(0.0)).astype(np.float32, copy=False)
    mean = centred.sum(axis=1) / n
    centred -= mean.astype(np.float32)[:, None]
    np.multiply(centred, mask, out=centred)
    std = np.sqrt(np.einsum("ij,ij->i", centred, centred) / n)
    scale = np.divide(1.0, std, out=np.zeros_like(std), where=std > 1e-9)
    return Standardised(values, mean, scale), centred


class SkillSpace:
    """Binary skill matrices over a fixed set of codes."""

    def __init__(self, codes: Iterable[str]):
        self.column = {c: i for i, c in enumerate(sorted(set(codes)))}

    def transform(self, skill_sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
        rows, cols = [], []
        for row, skills in enumerate(skill_sets):
            for code in skills:
                if code in self.column:
                    rows.append(row)
                    cols.append(self.column[code])
        data = np.ones(len(rows), dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(skill_sets), len(self.column)))


class TalentIndex:
    """A pool prepared for matching; build once, rank many requests.

    ``analysed`` may carry the talent side's stored word analysis (same order as
    ``talent``); a missing entry (None) is analysed here.
    """

    def __init__(
        self,
        talent: Sequence[TalentProfile],
        weights: Weights,
        synonyms: SynonymTable,
        labels: Mapping[str, str],
        analysed: Sequence[Analysed | None] | None = None,
    ):
        self.talent = list(talent)
        self.weights = weights
        self.table = synonyms
        self.synonyms = synonyms if weights.synonyms else None
        self.labels = dict(labels)
        self.texts = [talent_text(t) for t in self.talent]
        self._rows: dict | None = None  # see memoised()
        self.analysed = _complete(self.texts, analysed, synonyms)
        self._sides: dict[int, Side] = {}  # reasons' view of each text, made when needed
        self._sentences: tuple[np.ndarray, np.ndarray] | None = None
        self.bm25 = Bm25.fit(
            [self._lexical_text(t, a) for t, a in zip(self.texts, self.analysed, strict=True)]
            or [" "],
            n_max=weights.ngram_max,
            k1=weights.bm25_k1,
            b=weights.bm25_b,
        )
        words = [a.words for a in self.analysed]
        self.semantic = SemanticSpace.fit(
            word_vectors(), words, remove_common=weights.remove_common
        )
        vectors = self.semantic.embed(words)
        codes = set(self.labels) | {c for t in self.talent for c in t.skills}
        self.skills = SkillSpace(codes)
        skill = self.skills.transform([t.skills for t in self.talent])
        skill_counts = np.asarray(skill.sum(axis=1), dtype=np.float32).ravel()
        self.arrays = TalentArrays.build(self.talent)
        self.position = {t.id: i for i, t in enumerate(self.talent)}
        self.hours = np.array([t.available_hours for t in self.talent], dtype=np.float32)
        shown = np.array([evidence(x) for x in self.texts], dtype=np.float32)
        by_prefecture: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(self.talent):
            by_prefecture[t.prefecture_code].append(i)
        lexical = self.bm25.weights
        self.groups = {
            code: _Group(
                pool=np.array(rows, dtype=np.int64),
                lexical_t=lexical[rows].T.tocsr(),
                vectors=vectors[rows],
                skill_t=skill[rows].T.tocsr(),
                skill_counts=skill_counts[rows],
                hours=self.hours[rows],
                evidence=shown[rows],
            )
            for code, rows in by_prefecture.items()
        }

    def with_weights(self, weights: Weights) -> TalentIndex:
        """This index scoring with other component weights (e.g. a prefecture's learned
        ones); the text settings must be the same, so the text features are shared."""
        if replace(weights, **self.weights.components) != self.weights:
            raise ValueError("with_weights may change only the component weights")
        clone = copy.copy(self)
        clone.weights = weights
        return clone

    @classmethod
    def build(
        cls,
        talent: Sequence[TalentProfile],
        *,
        weights: Weights | None = None,
        synonyms: SynonymTable | None = None,
        labels: Mapping[str, str] | None = None,
        analysed: Sequence[Analysed | None] | None = None,
    ) -> TalentIndex:
        """Prepare ``talent`` for matching; defaults load the seed weights and synonyms."""
        return cls(
            talent,
            weights or Weights.load(),
            synonyms or SynonymTable.load(),
            DEFAULT_LABELS if labels is None else labels,
            analysed,
        )

    def with_profiles(self, talent: Sequence[TalentProfile]) -> TalentIndex:
        """This index for new profiles of the same talent (same order, texts and skills):
        hours and eligibility are refreshed, the text features are shared."""
        if [t.id for t in talent] != [t.id for t in self.talent]:
            raise ValueError("with_profiles needs the same talent in the same order")
        clone = copy.copy(self)
        clone._rows = None
        clone.talent = list(talent)
        clone.arrays = TalentArrays.build(clone.talent)
        clone.hours = np.array([t.available_hours for t in clone.talent], dtype=np.float32)
        clone.groups = {
            code: replace(group, hours=clone.hours[group.pool])
            for code, group in self.groups.items()
        }
        return clone

    def memoised(self) -> TalentIndex:
        """A copy that scores each request once per policy and keeps its row, for one
        computation that scores the same requests several times (a plan, its greedy
        comparison and its reasons). Rows are independent (eligibility and
        standardisation are per request), so a chunk made of kept rows is the same as
        one scored afresh. Drop the copy when done: it holds one row per request."""
        clone = copy.copy(self)
        clone._rows = {}
        return clone

    #: Changes whenever what ``stored`` keeps changes; a stored index of another format
    #: is never read (the CLI's cache key also holds a digest of this package's code).
    STORED_FORMAT = 1

    def stored(self) -> dict:
        """This index as plain data for a disk cache (``from_stored`` reads it back):
        every array ranking and reasons read, computed now, but neither the word
        vectors nor the synonym table (both are loaded from their own caches), and of
        each analysis only its sentences and concepts (the rest was read when building)."""
        self._all_sentences()
        state = dict(self.__dict__)
        state.update(
            table=None,
            synonyms=None,
            uses_synonyms=self.synonyms is not None,
            semantic=replace(self.semantic, vectors=None),
            analysed=[Analysed(a.sentences, (), (), a.found) for a in self.analysed],
            _rows=None,
            _sides={},
            format=self.STORED_FORMAT,
        )
        return state

    @classmethod
    def from_stored(cls, state: dict, synonyms: SynonymTable) -> TalentIndex:
        """An index from ``stored`` data, with the synonym table it was built with."""
        if state.get("format") != cls.STORED_FORMAT:
            raise ValueError("stored index of another format")
        index = cls.__new__(cls)
        index.__dict__.update(state)
        del index.__dict__["format"], index.__dict__["uses_synonyms"]
        index.table = synonyms
        index.synonyms = synonyms if state["uses_synonyms"] else None
        index.semantic = replace(state["semantic"], vectors=word_vectors())
        return index

    def _lexical_text(self, text: str, doc: Analysed) -> str:
        """What the lexical score reads: the canonical text (synonyms in one form)."""
        return doc.lexical_text if self.synonyms is not None else normalize(text)

    def score_chunks(
        self,
        requests: Sequence[RequestSpec],
        policy: Policy,
        *,
        full_hours: bool = False,
        allowed: Iterable[str] | None = None,
        chunk_size: int = 256,
    ) -> Iterator[ScoredChunk]:
        """Score requests per prefecture chunk. The score is standardised over each
        request's eligible talent; then ``full_hours`` drops talent with fewer free hours
        than the request needs and ``allowed`` (talent ids) keeps only those talent as
        candidates — neither changes anyone's score."""
        keep = None
        if allowed is not None:
            keep = np.zeros(len(self.talent), dtype=bool)
            keep[[self.position[t] for t in allowed if t in self.position]] = True
        by_prefecture: dict[str, list[RequestSpec]] = defaultdict(list)
        for r in requests:
            by_prefecture[r.prefecture_code].append(r)
        for code, group_requests in by_prefecture.items():
            group = self.groups.get(code)
            for start in range(0, len(group_requests), chunk_size):
                chunk = group_requests[start : start + chunk_size]
                yield self._score(chunk, group, policy, full_hours, keep)

    def _score(self, chunk, group, policy, full_hours, keep) -> ScoredChunk:
        sc = self._score_rows(chunk, group, policy) if self._rows is not None else None
        if sc is None:
            sc = self._score_chunk(chunk, group, policy)
        if group is None or not (full_hours or keep is not None):
            return sc
        candidates = np.isfinite(sc.score)
        if full_hours:
            need = np.array([max(1, r.hours_per_month) for r in chunk], dtype=np.float32)
            candidates = candidates & (group.hours[None, :] >= need[:, None])
        if keep is not None:
            candidates = candidates & keep[sc.pool][None, :]
        return replace(sc, score=np.where(candidates, sc.score, -np.inf), sides={})

    def _score_rows(self, chunk, group, policy) -> ScoredChunk | None:
        """The chunk assembled from kept rows, scoring only the requests not seen yet."""
        if group is None:
            return None
        missing = [r for r in chunk if (r, policy) not in self._rows]
        if missing:
            fresh = self._score_chunk(missing, group, policy)
            for i, r in enumerate(missing):
                self._rows[(r, policy)] = (
                    fresh.texts[i],
                    fresh.docs[i],
                    fresh.vectors[i],
                    fresh.score[i],
                    fresh.eligible[i],
                    {c: _row_of(fresh.components[c], i) for c in COMPONENTS},
                    fresh.counts[i],
                )
        rows = [self._rows[(r, policy)] for r in chunk]
        return ScoredChunk(
            chunk,
            [row[0] for row in rows],
            [row[1] for row in rows],
            np.stack([row[2] for row in rows]),
            group.pool,
            np.stack([row[3] for row in rows]),
            np.stack([row[4] for row in rows]),
            {c: _stack([row[5][c] for row in rows]) for c in COMPONENTS},
            [row[6] for row in rows],
        )

    def _score_chunk(self, chunk, group, policy) -> ScoredChunk:
        """Every eligible pair of the chunk scored (-inf: not eligible)."""
        texts = [request_text(r) for r in chunk]
        pool = group.pool if group is not None else np.zeros(0, dtype=np.int64)
        ok, counts = chunk_eligibility(
            chunk, pool, self.arrays, len(self.talent) - len(pool), policy
        )
        shape = (len(chunk), len(pool))
        if group is None:
            zeros = np.zeros(shape)
            empty = np.zeros((len(chunk), self.semantic.vectors.dim), dtype=np.float32)
            flat = Standardised(zeros, np.zeros(len(chunk)), np.zeros(len(chunk)))
            comps = {c: flat for c in COMPONENTS}
            docs = [None] * len(chunk)
            return ScoredChunk(chunk, texts, docs, empty, pool, zeros - np.inf, ok, comps, counts)
        docs = analyse_many(texts, self.table)
        vectors = self.semantic.embed([a.words for a in docs])
        lexical = (
            self.bm25.queries([self._lexical_text(t, a) for t, a in zip(texts, docs, strict=True)])
            @ group.lexical_t
        )
        req_skills = self.skills.transform([r.skills for r in chunk])
        n_req = np.asarray(req_skills.sum(axis=1), dtype=np.float32)
        overlap = (req_skills @ group.skill_t).toarray()
        union = n_req + group.skill_counts[None, :] - overlap
        need = np.array([max(1, r.hours_per_month) for r in chunk], dtype=np.float32)[:, None]
        raw = {
            "lexical": lexical.toarray(),
            "semantic": vectors @ group.vectors.T,
            "skill": np.divide(overlap, union, out=np.zeros(shape, np.float32), where=union > 0),
            "hours": np.minimum(np.float32(1.0), group.hours[None, :] / need),
            "evidence": np.broadcast_to(group.evidence[None, :], shape),
        }
        # the weighted mean of the standardised components, one component at a time
        n = np.maximum(ok.sum(axis=1), 1)
        w = self.weights.components
        total = np.zeros(shape, dtype=np.float32)
        comps = {}
        for name in COMPONENTS:
            comps[name], centred = standardise(raw[name], ok, n)
            centred *= (w[name] * comps[name].scale).astype(np.float32)[:, None]
            total += centred
        total /= max(sum(w.values()), 1e-9) * self.weights.temperature
        score = 1.0 / (1.0 + np.exp(-total))
        score = np.where(ok, score, -np.inf)
        return ScoredChunk(chunk, texts, docs, vectors, pool, score, ok, comps, counts)

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
            picks = []
            for i in range(len(sc.requests)):
                chosen = cols[i][rows[i]]
                picks.append((i, chosen, range(1, len(chosen) + 1)))
            found = self._proposals(sc, picks, explain_reasons)
            for i, (request, proposals) in enumerate(zip(sc.requests, found, strict=True)):
                results[request.id] = RankingResult(
                    request.id,
                    tuple(proposals),
                    MappingProxyType(sc.counts[i]),
                    int(sc.eligible[i].sum()),
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
        *,
        ranked: bool = False,
    ) -> dict[tuple[str, str], Proposal]:
        """Score, components and reasons of given (request id, talent id) pairs, e.g. a
        plan's placements or a coordinator's swap: the same score the ranking shows.
        Ineligible or unknown pairs are left out (``rank`` is 0: chosen, not ranked).
        ``ranked`` gives each pair its place in the request's ranking (1 + candidates
        scoring higher) instead of reasons, e.g. to remember what an offer was."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for request_id, talent_id in pairs:
            wanted[request_id].add(talent_id)
        chosen = [r for r in requests if r.id in wanted]
        out: dict[tuple[str, str], Proposal] = {}
        for sc in self.score_chunks(chosen, policy or Policy()):
            column = {int(pos): j for j, pos in enumerate(sc.pool)}
            picks = []
            for i, request in enumerate(sc.requests):
                found = [column.get(self.position.get(t, -1)) for t in wanted[request.id]]
                chosen = [j for j in found if j is not None and np.isfinite(sc.score[i, j])]
                cols = np.array(chosen, dtype=np.int64)
                ranks = (
                    (1 + (sc.score[i][None, :] > sc.score[i, cols][:, None]).sum(axis=1)).tolist()
                    if ranked
                    else None
                )
                picks.append((i, cols, ranks))
            for i, proposals in enumerate(self._proposals(sc, picks, not ranked)):
                for p in proposals:
                    out[(sc.requests[i].id, p.talent_id)] = p
        return out

    def _proposals(
        self,
        sc: ScoredChunk,
        picks: Sequence[tuple[int, np.ndarray, Iterable[int] | None]],
        reasons: bool,
    ) -> list[list[Proposal]]:
        """Proposals for picks of the chunk — (request ``i``, pool columns ``cols`` in
        that order, their ``ranks`` or None: chosen pairs, rank 0) — one list per pick,
        with the chunk's numbers and closest sentences worked out in one batch."""
        req = np.concatenate([np.full(len(cols), i, dtype=np.int64) for i, cols, _ in picks])
        col = np.concatenate([np.asarray(cols, dtype=np.int64) for _, cols, _ in picks])
        comps = [sc.components[c].at(req, col).round(4).tolist() for c in COMPONENTS]
        scores = sc.score[req, col].round(4).tolist()
        positions = sc.pool[col].tolist()
        closest = self._closest(positions, sc.vectors[req]) if reasons and len(col) else None
        out: list[list[Proposal]] = []
        n = 0
        for i, cols, ranks in picks:
            proposals = []
            for rank in ranks if ranks is not None else [0] * len(cols):
                pos = positions[n]
                features = Features(*(values[n] for values in comps))
                why = (
                    explain(
                        sc.requests[i],
                        sc.side(i),
                        self.talent[pos],
                        self._side(pos),
                        closest[n],
                        features,
                        self.synonyms,
                    )
                    if closest is not None
                    else ()
                )
                proposals.append(Proposal(self.talent[pos].id, rank, scores[n], why, features))
                n += 1
            out.append(proposals)
        return out

    def _closest(self, positions: list[int], toward: np.ndarray) -> list[tuple[str, float]]:
        """Per pair (talent position, request vector), the talent's sentence closest in
        meaning to the request and its cosine."""
        offsets, vectors = self._all_sentences()
        pos = np.asarray(positions, dtype=np.int64)
        first, counts = offsets[pos], offsets[pos + 1] - offsets[pos]
        total = int(counts.sum())
        if not total:
            return [("", 0.0)] * len(positions)
        # the rows of every talent's sentences, one run per talent, then each run's best
        runs = np.repeat(np.cumsum(counts) - counts, counts)
        rows = np.repeat(first, counts) + np.arange(total) - runs
        pair = np.repeat(np.arange(len(positions)), counts)
        sims = np.einsum("ij,ij->i", vectors[rows], toward[pair])
        has = counts > 0
        ends = np.cumsum(counts)[has]
        starts = ends - counts[has]
        owner = np.repeat(np.arange(len(starts)), counts[has])
        order = np.lexsort((-sims, owner))
        best = order[starts]  # the first row of each run once sorted: its highest cosine
        out: list[tuple[str, float]] = [("", 0.0)] * len(positions)
        within = (rows[best] - first[has]).tolist()
        for n, at, row in zip(np.flatnonzero(has).tolist(), within, best.tolist(), strict=True):
            out[n] = (self.analysed[positions[n]].sentences[at], float(sims[row]))
        return out

    def _side(self, pos: int) -> Side:
        side = self._sides.get(pos)
        if side is None:
            side = Side.of(self.texts[pos], self.analysed[pos].concepts)
            self._sides[pos] = side
        return side

    def _all_sentences(self) -> tuple[np.ndarray, np.ndarray]:
        """Every talent's sentence vectors, embedded in one go the first time they are
        needed, with each talent's first row (offsets[p] to offsets[p + 1])."""
        if self._sentences is None:
            counts = [len(a.terms) for a in self.analysed]
            flat = [list(words) for a in self.analysed for words in a.terms]
            offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            self._sentences = (offsets, self.semantic.embed(flat))
        return self._sentences


def _row_of(values: Standardised, i: int) -> Standardised:
    return Standardised(values.raw[i], values.mean[i], values.scale[i])


def _stack(rows: Sequence[Standardised]) -> Standardised:
    return Standardised(
        np.stack([r.raw for r in rows]),
        np.array([r.mean for r in rows]),
        np.array([r.scale for r in rows]),
    )


def _complete(
    texts: Sequence[str], analysed: Sequence[Analysed | None] | None, synonyms: SynonymTable
) -> list[Analysed]:
    """The given analyses, with the missing ones (None) analysed now."""
    if analysed is None:
        return analyse_many(texts, synonyms)
    out = list(analysed)
    if len(out) != len(texts):
        raise ValueError("one analysis per talent is needed")
    missing = [i for i, a in enumerate(out) if a is None]
    for i, a in zip(missing, analyse_many([texts[i] for i in missing], synonyms), strict=True):
        out[i] = a
    return out


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
