"""Component weights learned from a prefecture's own outcomes, adopted only when safe.

Each answered offer is an :class:`Outcome`: the pair's standardised components as they
were when it was sent (the offer's snapshot) and whether it went well — accepted, and
not rated poorly afterwards. A logistic regression of that on the components gives one
coefficient per component; clipped at 0 (a closer match never counts against a person)
and scaled to the default weights' total, they are component weights the matcher uses
as they are (``Weights`` with those five numbers replaced).

The guard: nothing is learned below ``MIN_OUTCOMES`` answered offers. The outcomes are
put in time order; a model fitted on the older ``1 - TEST_SHARE`` is tested on the newer
rest, beside the default weights on the same newer outcomes (AUC: the chance that a
good outcome scored above a bad one). Only when the learned weights beat the defaults
by ``MARGIN``, and in 95% of paired bootstrap resamples of the newer outcomes, are they
``validated``; the weights offered for use are then fitted on all outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .specs import COMPONENTS

MIN_OUTCOMES = 40
TEST_SHARE = 0.3
MARGIN = 0.02
BOOTSTRAP = 500
#: The L2 penalty's inverse strength and the scale of the default-score input (the prior).
REGULARISATION = 0.3
PRIOR_SCALE = 5.0


@dataclass(frozen=True)
class Outcome:
    """One answered offer: when it was sent (any sortable value), its components and
    whether it went well."""

    when: Any
    components: Mapping[str, float]
    good: bool


@dataclass(frozen=True)
class Fit:
    """What the learning found. ``weights`` is None when nothing could be fitted;
    ``reason``: "ok", "too_few", "one_class" (all outcomes alike) or "no_gain"."""

    weights: dict[str, float] | None
    outcomes: int
    train: int
    test: int
    default_auc: float
    learned_auc: float
    validated: bool
    reason: str


def _matrix(outcomes: Sequence[Outcome]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[float(o.components.get(c, 0.0)) for c in COMPONENTS] for o in outcomes])
    y = np.array([bool(o.good) for o in outcomes], dtype=int)
    return x.reshape(len(outcomes), len(COMPONENTS)), y


def _vector(weights: Mapping[str, float]) -> np.ndarray:
    return np.array([float(weights[c]) for c in COMPONENTS])


def _auc(y: np.ndarray, score: np.ndarray) -> np.ndarray:
    """AUC per row of ``y`` and ``score`` (2-D) or of one pair (1-D), by ranks; NaN for a
    row with one class only."""
    from scipy.stats import rankdata

    y, score = np.atleast_2d(y), np.atleast_2d(score)
    ranks = rankdata(score, axis=1)
    n1 = y.sum(axis=1)
    n0 = y.shape[1] - n1
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = ((ranks * y).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)
    return np.where((n1 > 0) & (n0 > 0), auc, np.nan)


def _beats(y: np.ndarray, learned: np.ndarray, default: np.ndarray, margin: float) -> bool:
    """The learned scores beat the default ones on these outcomes: AUC higher by
    ``margin``, and higher in 95% of paired bootstrap resamples (so a lucky split of a
    small test set is not enough)."""
    gain = _auc(y, learned)[0] - _auc(y, default)[0]
    if not gain >= margin:
        return False
    rng = np.random.default_rng(0)
    rows = rng.integers(0, len(y), size=(BOOTSTRAP, len(y)))
    diff = _auc(y[rows], learned[rows]) - _auc(y[rows], default[rows])
    diff = diff[~np.isnan(diff)]
    return bool(len(diff) and np.quantile(diff, 0.05) > 0)


def _coefficients(x: np.ndarray, y: np.ndarray, base: np.ndarray) -> np.ndarray | None:
    """Component weights from a logistic regression, clipped at 0, with the same total
    as ``base``. The default score is one more input, scaled up so that its coefficient
    costs little under the L2 penalty: with little evidence the fit stays near the
    default direction, and it moves away only as far as the outcomes demand."""
    from sklearn.linear_model import LogisticRegression

    unit = base / np.linalg.norm(base)
    prior = (x @ unit)[:, None] * PRIOR_SCALE
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(np.hstack([x, prior]), y)
    coef = model.coef_[0]
    combined = np.clip(coef[:-1] + coef[-1] * PRIOR_SCALE * unit, 0.0, None)
    total = float(base.sum())
    return combined / combined.sum() * total if combined.sum() > 1e-9 else None


def fit_weights(
    outcomes: Sequence[Outcome],
    default: Mapping[str, float],
    *,
    min_outcomes: int = MIN_OUTCOMES,
    test_share: float = TEST_SHARE,
    margin: float = MARGIN,
) -> Fit:
    """Learn component weights from ``outcomes`` and validate them in time order against
    ``default`` (the component weights in the seed); see the module docstring."""
    n = len(outcomes)
    empty = Fit(None, n, 0, 0, 0.0, 0.0, False, "too_few")
    if n < min_outcomes:
        return empty
    ordered = sorted(outcomes, key=lambda o: o.when)
    x, y = _matrix(ordered)
    cut = int(round(n * (1 - test_share)))
    train, test = slice(0, cut), slice(cut, n)
    if len(set(y[train])) < 2 or len(set(y[test])) < 2:
        return Fit(None, n, cut, n - cut, 0.0, 0.0, False, "one_class")
    base = _vector(default)
    default_auc = float(_auc(y[test], x[test] @ base)[0])
    tried = _coefficients(x[train], y[train], base)
    if tried is None:
        return Fit(None, n, cut, n - cut, round(default_auc, 4), 0.0, False, "no_gain")
    learned_auc = float(_auc(y[test], x[test] @ tried)[0])
    validated = _beats(y[test], x[test] @ tried, x[test] @ base, margin)
    final = _coefficients(x, y, base) if validated else tried
    weights = {
        c: round(float(w), 3)
        for c, w in zip(COMPONENTS, final if final is not None else tried, strict=True)
    }
    return Fit(
        weights,
        n,
        cut,
        n - cut,
        round(default_auc, 4),
        round(learned_auc, 4),
        validated,
        "ok" if validated else "no_gain",
    )
