"""The matcher: eligibility, ranked proposals with reasons, and capacity-respecting plans.

Pure Python + scikit-learn/SciPy: no Flask or SQLAlchemy. Dataclasses in
(``TalentProfile``, ``RequestSpec``, ``Policy``), ranked proposals and plans out.
"""

from .check import check_plan
from .eligibility import RULES, failed_rules, is_eligible
from .export import PROPOSAL_HEADER, write_proposals_rows
from .index import TalentIndex
from .plan import greedy_plan, optimal_plan
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
