"""The matcher: eligibility, ranked proposals with reasons, and capacity-respecting plans.

Pure Python + scikit-learn/SciPy: no Flask or SQLAlchemy. Dataclasses in
(``TalentProfile``, ``RequestSpec``, ``Policy``), ranked proposals and plans out.
The planners (and SciPy's optimisers behind them, half a second to import) are loaded
when first asked for, so ranking alone never pays for them.
"""

from importlib import import_module

from .check import check_plan
from .eligibility import RULES, failed_rules, is_eligible
from .export import PROPOSAL_HEADER, write_proposals_rows
from .index import TalentIndex
from .ranking import rank
from .specs import (
    Features,
    Placement,
    Plan,
    Policy,
    Proposal,
    RankingResult,
    Reason,
    RequestSpec,
    TalentProfile,
    Violation,
)
from .synonyms import SynonymTable
from .taxonomy import DEFAULT_LABELS
from .weights import Weights

__all__ = [
    "DEFAULT_LABELS",
    "PROPOSAL_HEADER",
    "RULES",
    "Placement",
    "Features",
    "Plan",
    "Policy",
    "Proposal",
    "RankingResult",
    "Reason",
    "RequestSpec",
    "SynonymTable",
    "TalentIndex",
    "TalentProfile",
    "Violation",
    "Weights",
    "check_plan",
    "failed_rules",
    "greedy_plan",
    "is_eligible",
    "optimal_plan",
    "rank",
    "write_proposals_rows",
]

_LAZY = {"greedy_plan": ".plan", "optimal_plan": ".plan"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
