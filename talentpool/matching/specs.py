"""Plain frozen dataclasses the matcher takes in and hands back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType


@dataclass(frozen=True)
class TalentProfile:
    """A person or company in a prefecture's pool, as the matcher sees it.

    ``available_hours`` is what remains per month after hours already reserved.
    ``area_municipality_codes`` of None means the whole prefecture.
    """

    id: str
    prefecture_code: str
    kind: str  # "staff" | "external" | "company"
    cio_candidate: bool
    work_style: str  # "onsite" | "remote" | "hybrid"
    available_hours: int
    area_municipality_codes: frozenset[str] | None
    skills: frozenset[str]
    experience: str
    qualifications: str
    active: bool
    admin_training_done: bool
    name: str = ""


@dataclass(frozen=True)
class RequestSpec:
    """A municipality's support request; ``headcount`` is the seats still open.

    ``seats_filled`` > 0 means the request already has support, so the fairness
    bonus for its first seat no longer applies.
    """

    id: str
    prefecture_code: str
    municipality_code: str
    title: str
    description: str
    skills: frozenset[str]
    hours_per_month: int
    headcount: int
    onsite_required: bool
    wants_cio: bool
    municipality_small: bool = False
    municipality_supported: bool = False
    seats_filled: int = 0


@dataclass(frozen=True)
class Policy:
    """Prefecture rules and plan settings.

    ``candidates`` is how many top-ranked talent per request become plan edges, and
    ``min_score`` the lowest pair score a plan may use;
    ``time_limit`` is seconds HiGHS may spend on one prefecture's plan, and
    ``mip_rel_gap`` the relative gap to HiGHS's proven bound at which it may stop.
    """

    require_admin_training: frozenset[str] = frozenset()
    fairness: bool = False
    candidates: int = 15
    time_limit: float = 5.0
    mip_rel_gap: float = 1e-3
    min_score: float = 0.0


@dataclass(frozen=True)
class Features:
    """The score components of one (request, talent) pair.

    Each is standardised over the request's eligible talent (0 = typical, +1 = one
    standard deviation better), so components of different scales add up fairly:
    ``lexical`` (BM25 over character n-grams), ``semantic`` (cosine of document
    vectors), ``skill`` (overlap of skill codes), ``hours`` (share of the request's
    hours the talent has free) and ``evidence`` (work done rather than only interest).
    """

    lexical: float
    semantic: float
    skill: float
    hours: float
    evidence: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


#: The names of the score components, in order: the fields of Features.
COMPONENTS = tuple(f.name for f in fields(Features))


@dataclass(frozen=True)
class Reason:
    """Why a pair was proposed, as a code with parameters (rendered per language).

    Codes: ``skills`` (codes), ``similar`` (sentence, similarity), ``phrases``
    (phrases), ``terms`` (terms), ``hours`` (need, have).
    """

    code: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, **dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Reason:
        params = {k: v for k, v in data.items() if k != "code"}
        return cls(str(data.get("code", "")), MappingProxyType(params))


@dataclass(frozen=True)
class Proposal:
    """One ranked candidate for a request: its score in (0, 1), the components that made
    it and the reasons."""

    talent_id: str
    rank: int
    score: float
    reasons: tuple[Reason, ...]
    features: Features


@dataclass(frozen=True)
class RankingResult:
    """Top-k proposals for one request plus how many talent each rule excluded.

    Each excluded person is counted once, under the first rule they fail
    (order: see ``eligibility.RULES``), so the counts sum to ``ineligible_total``.
    """

    request_id: str
    proposals: tuple[Proposal, ...]
    ineligible: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    eligible_count: int = 0

    @property
    def ineligible_total(self) -> int:
        return sum(self.ineligible.values())


@dataclass(frozen=True)
class Placement:
    """One seat of a plan: talent placed on a request for its hours per month."""

    request_id: str
    talent_id: str
    score: float
    hours: int


@dataclass(frozen=True)
class Plan:
    """A capacity-respecting assignment with its quality certificate.

    ``total_score`` sums pair scores; ``objective`` adds fairness bonuses;
    ``lp_bound`` is the LP-relaxation optimum of the same objective over the same
    candidate edges, and ``gap`` = (lp_bound - objective) / lp_bound. ``proven_bound``
    and ``proven_gap`` use HiGHS's final dual bound (tighter; the LP bound for greedy).
    """

    placements: tuple[Placement, ...]
    status: str
    total_score: float
    objective: float
    lp_bound: float
    gap: float
    method: str
    statuses: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    proven_bound: float = 0.0
    proven_gap: float = 0.0

    def pairs(self) -> list[tuple[str, str]]:
        return [(a.request_id, a.talent_id) for a in self.placements]


@dataclass(frozen=True)
class Violation:
    """A broken rule in a (possibly hand-edited) plan."""

    kind: str  # "hours" | "headcount" | "duplicate" | "ineligible" | "unknown"
    request_id: str
    talent_id: str
    detail: str
