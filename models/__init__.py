"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.archive import HistoryArchive
from models.auth import (
    ActivationCode,
    IdempotencyRecord,
    KnownSignIn,
    LoginFailure,
    LoginThrottle,
    RevokedToken,
    UserAccount,
)
from models.case import (
    ApprovalTask,
    ApprovalTemplate,
    AuditChainHead,
    AuditEvent,
    CollectiveDecree,
    Consultation,
    Decree,
    DecreeSequence,
    Delegation,
    MutationCase,
    Notification,
    PostMutationEvaluation,
    TrainingAssignment,
)
from models.committee import CommitteeSitting, ReviewCommittee
from models.cycle import (
    CompetencySnapshot,
    CycleFinding,
    PlanRemoval,
    PositionLoadSnapshot,
    Proposal,
    TransferCycle,
)
from models.documents import CaseDocument, DocumentChecklist
from models.issued import DocumentTemplate, IssuedDocument
from models.org import Agency, EmbargoWindow, Position, Unit
from models.people import (
    CompetencyAssessment,
    DisciplinaryRecord,
    Employee,
    FamilyRelation,
    PerformanceRating,
    PlacementPreference,
    PositionHistory,
)
from models.requests import DecreeAppeal, RequestDocument, TransferRequest
from models.workload import WorkloadRow

__all__ = [
    "IssuedDocument",
    "DocumentTemplate",
    "HistoryArchive",
    "Agency",
    "EmbargoWindow",
    "Unit",
    "Position",
    "Employee",
    "PositionHistory",
    "PerformanceRating",
    "DisciplinaryRecord",
    "CompetencyAssessment",
    "PlacementPreference",
    "FamilyRelation",
    "WorkloadRow",
    "TransferCycle",
    "PositionLoadSnapshot",
    "CompetencySnapshot",
    "Proposal",
    "CycleFinding",
    "MutationCase",
    "Consultation",
    "TrainingAssignment",
    "ApprovalTask",
    "Delegation",
    "DecreeSequence",
    "Decree",
    "CollectiveDecree",
    "Notification",
    "AuditEvent",
    "AuditChainHead",
    "ApprovalTemplate",
    "UserAccount",
    "RevokedToken",
    "KnownSignIn",
    "LoginFailure",
    "IdempotencyRecord",
    "LoginThrottle",
    "PostMutationEvaluation",
    "CaseDocument",
    "DocumentChecklist",
    "ReviewCommittee",
    "CommitteeSitting",
    "TransferRequest",
    "RequestDocument",
    "ActivationCode",
    "DecreeAppeal",
    "PlanRemoval",
]
