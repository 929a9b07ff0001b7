"""The settings register, the audit engine and (later) action plans: one module per concept."""

from .action_plans import (
    Action,
    ActionEvidence,
    ActionNote,
    ActionPlan,
    ActionReminderSent,
    AdviserDigestSent,
    ExtensionRequest,
)
from .audits import (
    Answer,
    AuditCycle,
    AuditReturn,
    EvidenceFile,
    ReminderSent,
    ReviewComment,
    SectionProgress,
)
from .casework import AllegationCategory, AllegationsMeeting, PracticeReview, SupportOffer, Visit
from .questionnaires import Question, Questionnaire, QuestionnaireKind, Section
from .register import Membership, OfstedInspection, Setting, SettingKind, SettingRole, TrustMembership

__all__ = [
    "Action",
    "ActionEvidence",
    "ActionNote",
    "ActionPlan",
    "ActionReminderSent",
    "AdviserDigestSent",
    "ExtensionRequest",
    "AllegationCategory",
    "AllegationsMeeting",
    "PracticeReview",
    "SupportOffer",
    "Visit",
    "Answer",
    "AuditCycle",
    "AuditReturn",
    "EvidenceFile",
    "Membership",
    "OfstedInspection",
    "Question",
    "Questionnaire",
    "QuestionnaireKind",
    "ReminderSent",
    "ReviewComment",
    "Section",
    "SectionProgress",
    "Setting",
    "SettingKind",
    "SettingRole",
    "TrustMembership",
]
