"""All models, imported here so Alembic and create_all see every table."""

from talentpool.models.account import Invitation, LoginThrottle, PasswordReset, Role, User
from talentpool.models.audit import AuditEvent
from talentpool.models.base import Base, utcnow
from talentpool.models.data_version import DataVersion
from talentpool.models.mail import MailOptOut, OutboxMessage
from talentpool.models.matching import MatchPlan, MatchPlanItem, PlanStatus
from talentpool.models.offer import (
    ActivityLog,
    Assignment,
    AssignmentState,
    Notification,
    Offer,
    OfferState,
    Rating,
)
from talentpool.models.outcome import LearnedWeights, OfferSnapshot, OfferSource
from talentpool.models.region import Municipality, Prefecture
from talentpool.models.report import RecruitmentExpense
from talentpool.models.request import Funding, RequestState, SupportRequest, request_skill
from talentpool.models.talent import (
    ExternalRole,
    NationalListEntry,
    Talent,
    TalentKind,
    TalentTextIndex,
    WorkStyle,
    talent_area,
    talent_skill,
)
from talentpool.models.taxonomy import TaxonomyTerm
from talentpool.models.training import (
    Audience,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    TrainingProgram,
    TrainingTarget,
)
from talentpool.models.upload import StagedUpload

__all__ = [
    "ActivityLog",
    "Assignment",
    "AssignmentState",
    "Notification",
    "LearnedWeights",
    "OfferSnapshot",
    "OfferSource",
    "Offer",
    "OfferState",
    "Rating",
    "RecruitmentExpense",
    "Audience",
    "AuditEvent",
    "Base",
    "DataVersion",
    "DxLeader",
    "Enrollment",
    "EnrollmentStatus",
    "ExternalRole",
    "Funding",
    "Invitation",
    "LoginThrottle",
    "MailOptOut",
    "MatchPlan",
    "MatchPlanItem",
    "Municipality",
    "NationalListEntry",
    "OutboxMessage",
    "PasswordReset",
    "PlanStatus",
    "Prefecture",
    "RequestState",
    "Role",
    "StagedUpload",
    "SupportRequest",
    "Talent",
    "TalentKind",
    "TalentTextIndex",
    "TaxonomyTerm",
    "TrainingProgram",
    "TrainingTarget",
    "User",
    "WorkStyle",
    "request_skill",
    "talent_area",
    "talent_skill",
    "utcnow",
]
