"""Score weights and settings, kept as data in seed/match_weights.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from .specs import COMPONENTS
from .synonyms import SEED_DIR

DEFAULT_WEIGHTS = SEED_DIR / "match_weights.json"


@dataclass(frozen=True)
class Weights:
    """How much each standardised component counts, and the settings behind them.

    A pair's score is the logistic of the weighted mean of its components divided by
    ``temperature``: 0.5 for a typical eligible talent, towards 1 for the best.
    ``synonyms`` canonicalises both texts with seed/synonyms.csv before the lexical score.
    Fairness bonuses are added to the plan objective only.
    """

    lexical: float = 1.5
    semantic: float = 2.0
    skill: float = 0.5
    hours: float = 0.5
    evidence: float = 1.5
    temperature: float = 1.0
    ngram_max: int = 2
    bm25_k1: float = 1.2
    bm25_b: float = 0.5
    remove_common: bool = True
    synonyms: bool = True
    first_seat_bonus: float = 0.4
    small_municipality_bonus: float = 0.3
    unsupported_municipality_bonus: float = 0.15

    @property
    def components(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}

    @classmethod
    def load(cls, path: str | Path = DEFAULT_WEIGHTS) -> Weights:
        """Read weights from JSON; unknown keys are an error, missing keys keep defaults."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown weight keys: {sorted(unknown)}")
        return cls(**data)
