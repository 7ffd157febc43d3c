"""Learning weights from outcomes, on synthetic prefectures whose talent accept by hidden
preferences.

Run: python bench/outcome_learning.py [--seeds 5]

Each prefecture gets requests month by month; a request's eligible talent have the five
standardised components (lexical and semantic correlated, as in the matcher). A talent
accepts with probability logistic(-0.5 + 1.5 · h·z / |h|) for hidden preferences h. The
coordinator offers the top 3 under the weights in use, and in one request of three one
more person "by hand" from ranks 4–20. After each month with at least MIN_OUTCOMES
answered offers, the prefecture refits (talentpool.matching.learning.fit_weights) and uses
the learned weights only when the time-ordered validation beats the defaults.

The last months are held out: every eligible talent of their requests gets an outcome
drawn from the hidden preferences, and each ranking — the default weights, and the
weights in use at the end (learned when validated, else the defaults) — is scored by
NDCG@10 against those outcomes.

Two cases: preferences that differ from the default weights (learned must beat default
clearly), and preferences equal to them (learned must not lose).
"""

from __future__ import annotations

import argparse

import numpy as np

from talentpool.matching import Weights
from talentpool.matching.learning import COMPONENTS, MIN_OUTCOMES, Outcome, fit_weights
from talentpool.matching.metrics import mean, ndcg_at

DEFAULT = Weights().components
CASES = {
    "differ": {"lexical": 0.5, "semantic": 0.5, "skill": 3.0, "hours": 2.5, "evidence": 0.0},
    "same": dict(DEFAULT),
}
#: Component correlations: lexical and semantic move together, skill a little with both.
COV = np.array(
    [
        [1.0, 0.6, 0.3, 0.0, 0.1],
        [0.6, 1.0, 0.3, 0.0, 0.1],
        [0.3, 0.3, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
        [0.1, 0.1, 0.0, 0.0, 1.0],
    ]
)
K = 10


def _vector(weights) -> np.ndarray:
    return np.array([weights[c] for c in COMPONENTS], dtype=float)


def _request(rng: np.random.Generator, candidates: int) -> np.ndarray:
    """Standardised components of one request's eligible talent (rows)."""
    raw = rng.multivariate_normal(np.zeros(len(COMPONENTS)), COV, size=candidates)
    return (raw - raw.mean(axis=0)) / raw.std(axis=0)


def _accepts(rng: np.random.Generator, z: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    logit = -0.5 + 1.5 * (z @ hidden) / np.linalg.norm(hidden)
    return rng.random(len(z)) < 1.0 / (1.0 + np.exp(-logit))


def _ndcg(z: np.ndarray, accepted: np.ndarray, weights: np.ndarray) -> float | None:
    order = np.argsort(-(z @ weights), kind="stable")
    grades = {str(i): int(a) for i, a in enumerate(accepted)}
    return ndcg_at([str(i) for i in order], grades, K)


def simulate(
    hidden_weights, seed: int, *, prefectures=3, months=18, held_out=6, per_month=8, candidates=40
) -> dict:
    rng = np.random.default_rng(seed)
    hidden, default = _vector(hidden_weights), _vector(DEFAULT)
    outcomes: list[list[Outcome]] = [[] for _ in range(prefectures)]
    in_use = [default.copy() for _ in range(prefectures)]
    fits = [None] * prefectures
    for month in range(months - held_out):
        for p in range(prefectures):
            for r in range(per_month):
                z = _request(rng, candidates)
                order = np.argsort(-(z @ in_use[p]), kind="stable")
                offered = list(order[:3])
                if r % 3 == 0:
                    offered.append(int(rng.choice(order[3:20])))
                accepted = _accepts(rng, z[offered], hidden)
                for j, ok in zip(offered, accepted, strict=True):
                    components = dict(zip(COMPONENTS, z[j].tolist(), strict=True))
                    outcomes[p].append(Outcome((month, r, int(j)), components, bool(ok)))
            if len(outcomes[p]) >= MIN_OUTCOMES:
                fit = fit_weights(outcomes[p], DEFAULT)
                fits[p] = fit
                in_use[p] = _vector(fit.weights) if fit.validated else default
    default_scores, learned_scores = [], []
    for _month in range(held_out):
        for p in range(prefectures):
            for _r in range(per_month):
                z = _request(rng, candidates)
                accepted = _accepts(rng, z, hidden)
                default_scores.append(_ndcg(z, accepted, default))
                learned_scores.append(_ndcg(z, accepted, in_use[p]))
    return {
        "default": mean(default_scores),
        "learned": mean(learned_scores),
        "outcomes": sum(len(o) for o in outcomes),
        "fits": fits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    for case, hidden in CASES.items():
        runs = [simulate(hidden, seed) for seed in range(args.seeds)]
        for seed, run in enumerate(runs):
            used = sum(f is not None and f.validated for f in run["fits"])
            print(
                f"{case} seed={seed}: default={run['default']:.3f} learned={run['learned']:.3f} "
                f"prefectures using learned weights={used}/{len(run['fits'])}"
            )
            for fit in run["fits"]:
                if fit is not None:
                    print(
                        f"    {fit.reason} auc default={fit.default_auc:.3f} "
                        f"learned={fit.learned_auc:.3f} weights={fit.weights}"
                    )
        default = np.mean([r["default"] for r in runs])
        learned = np.mean([r["learned"] for r in runs])
        outcomes = int(np.mean([r["outcomes"] for r in runs]))
        print(
            f"SCORE case={case} default_ndcg={default:.3f} learned_ndcg={learned:.3f} "
            f"outcomes={outcomes}"
        )


if __name__ == "__main__":
    main()
