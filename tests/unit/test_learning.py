"""Weights learned from outcomes: the guard (too few, all alike, no gain over the defaults)
and a fit that recovers preferences different from the defaults."""

import numpy as np

from talentpool.matching import Weights
from talentpool.matching.learning import COMPONENTS, MIN_OUTCOMES, Outcome, fit_weights

DEFAULT = Weights().components


def _outcomes(n: int, hidden: dict[str, float], seed: int = 0) -> list[Outcome]:
    rng = np.random.default_rng(seed)
    h = np.array([hidden[c] for c in COMPONENTS])
    z = rng.normal(size=(n, len(COMPONENTS)))
    p = 1 / (1 + np.exp(-(2.5 * z @ h / np.linalg.norm(h))))
    good = rng.random(n) < p
    return [
        Outcome(i, dict(zip(COMPONENTS, z[i].tolist(), strict=True)), bool(good[i]))
        for i in range(n)
    ]


HOURS_AND_SKILL = {"lexical": 0.0, "semantic": 0.0, "skill": 2.0, "hours": 3.0, "evidence": 0.0}


def test_nothing_is_learned_below_the_threshold():
    fit = fit_weights(_outcomes(MIN_OUTCOMES - 1, HOURS_AND_SKILL), DEFAULT)
    assert fit.weights is None and not fit.validated and fit.reason == "too_few"
    assert fit.outcomes == MIN_OUTCOMES - 1


def test_all_alike_outcomes_teach_nothing():
    alike = [Outcome(i, dict.fromkeys(COMPONENTS, float(i % 3)), True) for i in range(60)]
    fit = fit_weights(alike, DEFAULT)
    assert fit.weights is None and not fit.validated and fit.reason == "one_class"


def test_different_preferences_are_learned_and_validated_in_time_order():
    fit = fit_weights(_outcomes(300, HOURS_AND_SKILL), DEFAULT)
    assert fit.validated and fit.reason == "ok"
    assert fit.learned_auc > fit.default_auc + 0.05
    assert (fit.train, fit.test) == (210, 90)
    w = fit.weights
    assert w["hours"] > w["semantic"] and w["skill"] > w["lexical"]
    assert abs(sum(w.values()) - sum(DEFAULT.values())) < 0.01  # same total as the defaults
    assert min(w.values()) >= 0


def test_preferences_equal_to_the_defaults_are_not_adopted():
    for seed in range(3):
        fit = fit_weights(_outcomes(300, DEFAULT, seed), DEFAULT)
        assert not fit.validated and fit.reason == "no_gain"


def test_validation_uses_the_newest_outcomes_as_test():
    # Old outcomes follow hours, the newest follow the defaults: learned from the old,
    # tested on the new, the learned weights must not be adopted.
    old = _outcomes(210, HOURS_AND_SKILL, seed=1)
    new = [Outcome(1000 + o.when, o.components, o.good) for o in _outcomes(90, DEFAULT, seed=2)]
    fit = fit_weights(list(reversed(old + new)), DEFAULT)
    assert fit.train == 210 and not fit.validated
