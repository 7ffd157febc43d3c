"""Matching quality on the labelled sets, with an ablation and plain baselines.

Run: python bench/match_quality.py

Sets (bench/data):
- easy: match_dev_* (66 talent × 43 requests; the first, easy set);
- hard: match_hard_* (176 × 86, written to the hard traits: other words for the same
  work, buzzword bait, noisy skills). Weights were tuned on its odd-numbered requests
  ("tune") only; the even-numbered ones ("held-out") are reported apart;
- hard2: match_hard2_* (133 × 64, another writer, another prefecture), never tuned on.

For each: NDCG@10, P@5, MRR and ineligible proposals for the matcher, each component
removed, and two plain baselines (character TF-IDF with only the eligibility rules).
Then the plan: the share of requests that get at least one relevant (grade ≥ 1) person,
beside the best share any capacity-respecting assignment over the true grades reaches.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from sklearn.feature_extraction.text import TfidfVectorizer

from talentpool.matching import Policy, TalentIndex, Weights, check_plan, optimal_plan
from talentpool.matching.devset import DevSet, load_devset
from talentpool.matching.eligibility import is_eligible
from talentpool.matching.metrics import mean, ndcg_at, precision_at, reciprocal_rank
from talentpool.services.matching.match_files import load_labelled_set

K = 10
POLICIES = {"easy": Policy(require_admin_training=frozenset({"20"}))}


def sets() -> dict[str, tuple[DevSet, list[int] | None]]:
    """name → (set, request rows to report; None = all)."""
    hard = load_labelled_set("match_hard")
    number = [int("".join(c for c in r.id if c.isdigit())) for r in hard.requests]
    return {
        "easy": (load_devset(), None),
        "hard tune": (hard, [i for i, n in enumerate(number) if n % 2]),
        "hard held-out": (hard, [i for i, n in enumerate(number) if not n % 2]),
        "hard2 (check)": (load_labelled_set("match_hard2"), None),
    }


def policy(name: str) -> Policy:
    return POLICIES.get(name, Policy())


def grades(dev: DevSet, request, pol: Policy, by_id) -> dict[str, int]:
    """Grades of the eligible talent only: an ineligible person is never a hit."""
    return {
        tid: g
        for (rid, tid), g in dev.labels.items()
        if rid == request.id and g > 0 and is_eligible(request, by_id[tid], pol)
    }


def evaluate(dev: DevSet, ranked: dict[str, list[str]], rows, pol: Policy) -> dict:
    by_id = {t.id: t for t in dev.talent}
    requests = [r for i, r in enumerate(dev.requests) if rows is None or i in rows]
    out: dict[str, list] = {"NDCG@10": [], "P@5": [], "MRR": []}
    bad = 0
    for r in requests:
        g = grades(dev, r, pol, by_id)
        top = ranked.get(r.id, [])[:K]
        out["NDCG@10"].append(ndcg_at(top, g, K))
        out["P@5"].append(precision_at(top, g, 5))
        out["MRR"].append(reciprocal_rank(top, g))
        bad += sum(not is_eligible(r, by_id[t], pol) for t in top)
    return {**{k: mean(v) for k, v in out.items()}, "ineligible": bad}


def matcher(dev: DevSet, weights: Weights, pol: Policy) -> dict[str, list[str]]:
    index = TalentIndex.build(dev.talent, weights=weights)
    res = index.rank_many(dev.requests, K, pol, explain_reasons=False)
    return {rid: [p.talent_id for p in rr.proposals] for rid, rr in res.items()}


def tfidf(dev: DevSet, pol: Policy, analyzer: str, ngrams: tuple[int, int]) -> dict:
    """Plain character TF-IDF cosine with only the eligibility rules."""
    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
    vec.fit([t.experience for t in dev.talent] + [r.description for r in dev.requests])
    tm = vec.transform([f"{t.experience} {t.qualifications}" for t in dev.talent])
    sims = (vec.transform([f"{r.title} {r.description}" for r in dev.requests]) @ tm.T).toarray()
    out = {}
    for i, r in enumerate(dev.requests):
        s = sims[i].copy()
        s[[not is_eligible(r, t, pol) for t in dev.talent]] = -np.inf
        order = np.argsort(-s, kind="stable")[:K]
        out[r.id] = [dev.talent[j].id for j in order if np.isfinite(s[j])]
    return out


def methods(weights: Weights) -> list[tuple[str, object]]:
    out = [("matcher", lambda d, p: matcher(d, weights, p))]
    for name in weights.components:
        w = replace(weights, **{name: 0.0})
        out.append((f"  without {name}", lambda d, p, w=w: matcher(d, w, p)))
    w = replace(weights, synonyms=False)
    out.append(("  without synonym terms (lexical)", lambda d, p, w=w: matcher(d, w, p)))
    out.append(("char 2-gram TF-IDF + rules", lambda d, p: tfidf(d, p, "char", (2, 2))))
    out.append(("char_wb 2-3-gram TF-IDF + rules", lambda d, p: tfidf(d, p, "char_wb", (2, 3))))
    return out


def best_coverage(dev: DevSet, pol: Policy) -> float:
    """Most requests any capacity-respecting assignment of relevant people covers (MILP)."""
    by_id = {t.id: t for t in dev.talent}
    pairs = []
    for ri, r in enumerate(dev.requests):
        for tid in grades(dev, r, pol, by_id):
            if by_id[tid].available_hours >= r.hours_per_month:
                pairs.append((ri, tid))
    if not pairs:
        return 0.0
    n_r, n_p = len(dev.requests), len(pairs)
    people = sorted({t for _, t in pairs})
    col = {t: i for i, t in enumerate(people)}
    cols = np.arange(n_p)
    hours = sp.csr_matrix(
        ([dev.requests[r].hours_per_month for r, _ in pairs], ([col[t] for _, t in pairs], cols)),
        shape=(len(people), n_p),
    )
    seats = sp.csr_matrix((np.ones(n_p), ([r for r, _ in pairs], cols)), shape=(n_r, n_p))
    a = sp.vstack(
        [
            sp.hstack([hours, sp.csr_matrix((len(people), n_r))]),
            sp.hstack([seats, sp.csr_matrix((n_r, n_r))]),
            sp.hstack([-seats, sp.identity(n_r)]),  # covered_r ≤ Σ x
        ]
    )
    upper = np.concatenate(
        [
            [by_id[t].available_hours for t in people],
            [r.headcount for r in dev.requests],
            np.zeros(n_r),
        ]
    )
    c = np.concatenate([np.zeros(n_p), -np.ones(n_r)])
    res = milp(
        c,
        integrality=np.ones(n_p + n_r),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(a, -np.inf, upper),
    )
    return float(-res.fun) / n_r


def plan_line(name: str, dev: DevSet, pol: Policy) -> None:
    by_id = {t.id: t for t in dev.talent}
    req_by_id = {r.id: r for r in dev.requests}
    plan = optimal_plan(dev.requests, dev.talent, pol)
    covered = {
        a.request_id
        for a in plan.placements
        if dev.labels.get((a.request_id, a.talent_id), 0) >= 1
        and is_eligible(req_by_id[a.request_id], by_id[a.talent_id], pol)
    }
    share = len(covered) / len(dev.requests)
    print(
        f"  {name:<15} plan covers {share:6.1%} of requests with a relevant person "
        f"(best possible {best_coverage(dev, pol):6.1%}); {len(plan.placements)} placements, "
        f"rule violations {len(check_plan(plan, dev.requests, dev.talent, pol))}"
    )


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    weights = Weights.load()
    all_sets = sets()
    results: dict[str, dict[str, dict]] = {}
    for method, fn in methods(weights):
        cache: dict[int, dict] = {}
        for name, (dev, rows) in all_sets.items():
            pol = policy(name)
            if id(dev) not in cache:
                cache[id(dev)] = fn(dev, pol)
            results.setdefault(method, {})[name] = evaluate(dev, cache[id(dev)], rows, pol)
    for name, (dev, rows) in all_sets.items():
        n = len(rows) if rows is not None else len(dev.requests)
        print(f"\n== {name}: {len(dev.talent)} talent, {n} requests")
        print(f"{'method':<36}{'NDCG@10':>9}{'P@5':>7}{'MRR':>7}{'inelig.':>9}")
        for method, by_set in results.items():
            m = by_set[name]
            print(
                f"{method:<36}{m['NDCG@10']:>9.3f}{m['P@5']:>7.3f}{m['MRR']:>7.3f}"
                f"{m['ineligible']:>9d}"
            )
    print("\n== plan (optimal, capacity respected)")
    seen = set()
    for name, (dev, _rows) in all_sets.items():
        if id(dev) not in seen:
            seen.add(id(dev))
            plan_line(name.split(" ")[0], dev, policy(name))
    for name in all_sets:
        m = results["matcher"][name]
        print(
            f"SCORE set={name.replace(' ', '_')} ndcg10={m['NDCG@10']:.3f} p5={m['P@5']:.3f} "
            f"mrr={m['MRR']:.3f} ineligible={m['ineligible']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
