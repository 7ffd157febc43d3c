"""Score weights and vectoriser settings, kept as data in seed/match_weights.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from .synonyms import SEED_DIR

DEFAULT_WEIGHTS = SEED_DIR / "match_weights.json"


@dataclass(frozen=True)
class Weights:
    """How much each feature counts, plus the plan's fairness bonuses.

    The four feature weights are used as given; scores stay in [0, 1] when they
    sum to 1. Fairness bonuses are added to the plan objective only.
    """

    text: float = 0.55
    concept: float = 0.2
    skill: float = 0.15
    hours: float = 0.1
    ngram_min: int = 1
    ngram_max: int = 2
    sublinear_tf: bool = True
    first_seat_bonus: float = 0.4
    small_municipality_bonus: float = 0.3
    unsupported_municipality_bonus: float = 0.15

    @classmethod
    def load(cls, path: str | Path = DEFAULT_WEIGHTS) -> Weights:
        """Read weights from JSON; unknown keys are an error, missing keys keep defaults."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown weight keys: {sorted(unknown)}")
        return cls(**data)
