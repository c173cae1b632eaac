"""Typed inputs and outputs shared by the lifecycle workflows, their activities and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from contracts.chain import ChainStep
from contracts.messages import Msg

# The error type a case's first activity raises when its person already has an open case
# (the case is then closed as Stage.BLOCKED).
OPEN_CASE_EXISTS = "OpenCaseExists"


@dataclass(kw_only=True)
class CasePolicy:
    consultation_days: int = 7
    silence_rule: str = "deemed_accepted"  # deemed_accepted | route_to_hr
    training_blocks_approval: bool = False
    training_due_days: int = 90
    # TMT: "next_month" = the first day of the month after the decree (at least
    # tmt_min_days_after_decree later); "decree_date" = effective on the decree's date.
    tmt_rule: str = "next_month"
    tmt_min_days_after_decree: int = 1
    # Post-mutation evaluation by the destination head: this many days after TMT (0: none),
    # answered within evaluation_deadline_days.
    evaluation_days: int = 90
    evaluation_deadline_days: int = 14
    # After TMT the destination head confirms the SPMT within this many days (a reminder at
    # half, then escalation to HR).
    spmt_days: int = 14
    # "collective": the case waits for HR's signing batch (one decree, an extract each);
    # "individual": a decree of its own as soon as the chain approves.
    decree_mode: str = "collective"


@dataclass(kw_only=True)
class TrainingItem:
    program: str
    kind: str
    jp: int
    reason: str = ""


# The case revision new starts carry (CaseInput.revision). A path added to a released case
# workflow keys on it when only new starts may take it: an input field replays as it was
# started, with no marker in the history, where each workflow.patched() marker also costs
# the server a search-attribute write (TemporalChangeVersion) per case.
# 1: the legal process without its marker; the individual decree and its two stage changes
#    in one activity.
# 2: a step whose decision was sent ahead (decide_when_open) starts no reminder timer and
#    publishes no assignees while that decision is checked and recorded.
# 3: a case withdrawn after its decree was signed starts the decree's revocation
#    (DecreeRevocationWorkflow) as it ends.
# 4: a decision changes the case only after its activity recorded it, one decider per task
#    at a time (a rejection could otherwise end the case and cancel its row first).
CASE_REVISION = 4


@dataclass(kw_only=True)
class CaseInput:
    case_id: str
    cycle_id: str
    cycle_workflow_id: str
    nip: str
    name: str
    agency_code: str
    mutation_type: str
    origin_position: str
    origin_unit: str
    destination_position: str
    destination_unit: str
    requested_by: str  # the HR user who approved the plan
    requested_by_nip: str | None
    steps: list[ChainStep]
    training: list[TrainingItem] = field(default_factory=list)
    policy: CasePolicy = field(default_factory=CasePolicy)
    # The checklist's required document kinds when the case opened: complete and accepted
    # before the competent authority's decision step.
    required_documents: list[str] = field(default_factory=list)
    # A move outside a cycle: the request (APS or HR's individual move) it comes from.
    request_id: str = ""
    # The employee asked for this move (APS): their request is their consultation answer,
    # recorded as accepted with this text; empty: consult as for a planned move.
    consent: str = ""
    # CASE_REVISION when started; 0 in cases started before revisions existed.
    revision: int = 0


# --- requests people send to a case (workflow updates) -------------------------------


@dataclass(kw_only=True)
class ConsultationAnswer:
    actor_nip: str
    accept: bool
    reason: str = ""
    preferences: list[str] = field(default_factory=list)  # unit codes, first choice first


@dataclass(kw_only=True)
class ObjectionResolution:
    actor: str
    confirm: bool  # True: the move goes ahead despite the objection
    reason: str


@dataclass(kw_only=True)
class TrainingCompletion:
    program: str
    actor: str
    completed_on: date


@dataclass(kw_only=True)
class TaskDecision:
    task_id: str
    actor_nip: str
    approve: bool
    comment: str = ""


SERVICE_INDICATORS = ("kualitas_layanan", "ketepatan_waktu", "kerja_sama_tim")


@dataclass(kw_only=True)
class EvaluationSubmission:
    """The destination head's post-mutation evaluation: each indicator and adaptation 1-5."""

    actor_nip: str
    indicators: dict[str, int]
    adaptation_score: int
    comment: str = ""


@dataclass(kw_only=True)
class RecordedAct:
    """HR records an act decided on paper (an outside office's letter, or the PPK's signed
    decision): what was decided, the letter's number and date, and the uploaded letter."""

    task_id: str
    actor: str  # the HR user's name
    approve: bool
    letter_number: str
    letter_date: date
    document_sha256: str
    comment: str = ""


@dataclass(kw_only=True)
class CommitteeVerdict:
    """A committee sitting's recommendation on one case (signalled once the chair signed
    the minutes): setuju approves the step, tidak_setuju rejects it, tunda leaves it open
    for a later sitting."""

    task_id: str
    sitting: str  # the minutes' number
    held_on: date
    recommendation: str
    reason: str
    minutes_sha256: str
    chair: str


@dataclass(kw_only=True)
class SittingDelivery:
    workflow_id: str
    verdict: CommitteeVerdict


@dataclass(kw_only=True)
class SittingInput:
    """What a signed sitting sends to the cases it decided (CommitteeSittingWorkflow)."""

    number: str
    deliveries: list[SittingDelivery] = field(default_factory=list)


@dataclass(kw_only=True)
class DocumentsChanged:
    """Sent after an upload or a verification: the kinds whose latest upload is accepted."""

    accepted: list[str]


@dataclass(kw_only=True)
class ReportingForDuty:
    """The SPMT: the employee reported for duty at the new post on `reported_on`; for a
    structural post, the swearing-in date."""

    actor_nip: str
    actor: str
    reported_on: date
    document_sha256: str
    sworn_in_on: date | None = None


@dataclass(kw_only=True)
class TaskReassignment:
    task_id: str
    assignee_nip: str
    deciders: list[str]
    actor: str
    reason: str


@dataclass(kw_only=True)
class DecidersChange:
    """Who may decide a task changed (a delegation started or ended), by whose act."""

    task_id: str
    deciders: list[str]
    actor: str = "sistem"
    role: str = "system"
    reason: str = "delegasi berubah"


@dataclass(kw_only=True)
class Withdrawal:
    actor: str
    reason: str
    role: str = "hr_admin"  # "employee": the employee withdrew their own request
    # A signed decree is revoked by a revoking decree (case revision 3); False where the
    # caller revokes it itself on other grounds (an upheld objection cites its decision).
    revokes_decree: bool = True


# --- what the workflow knows, for queries --------------------------------------------


@dataclass(kw_only=True)
class TaskView:
    id: str
    step: int
    role: str
    title: str
    assignee_nip: str
    deciders: list[str]
    status: str
    due_at: datetime
    reminder_at: datetime
    reminded: bool = False
    escalations: int = 0
    decided_by: str | None = None
    comment: str | None = None
    kind: str = "decided"  # contracts.enums.TaskKind


@dataclass(kw_only=True)
class CaseState:
    case_id: str
    stage: str
    consultation_deadline: datetime | None = None
    consultation_response: str | None = None
    tasks: list[TaskView] = field(default_factory=list)
    trainings_open: list[str] = field(default_factory=list)
    decree_number: str | None = None
    tmt: date | None = None
    outcome_reason: str | None = None
    evaluation: str | None = None  # None | open | submitted | expired
    documents_missing: list[str] = field(default_factory=list)
    reporting_due: datetime | None = None
    reported_on: date | None = None


@dataclass(kw_only=True)
class CaseProgress:
    """Signal from a case to its cycle."""

    case_id: str
    stage: str
    unit_from: str
    unit_to: str


# --- what the workflow asks its activities to do, and their answers ---------------------


@dataclass(kw_only=True)
class EvaluationOpen:
    case_id: str
    due_at: datetime
    at: datetime


@dataclass(kw_only=True)
class EvaluationView:
    evaluator_nip: str | None  # None: the destination unit has no head to ask
    deciders: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class EvaluationRecord:
    case_id: str
    status: str  # submitted | expired
    at: datetime
    actor_nip: str | None = None
    indicators: dict[str, int] | None = None
    adaptation_score: int | None = None
    comment: str | None = None


@dataclass(kw_only=True)
class DocumentCheck:
    case_id: str
    required: list[str]


@dataclass(kw_only=True)
class ActRecord:
    task_id: str
    status: str  # approved | rejected
    actor: str
    letter_number: str
    letter_date: date
    document_sha256: str
    comment: str
    at: datetime


@dataclass(kw_only=True)
class CommitteeRecord:
    verdict: CommitteeVerdict
    at: datetime


@dataclass(kw_only=True)
class ReportingOpen:
    case_id: str
    due_at: datetime
    at: datetime


@dataclass(kw_only=True)
class ReportingView:
    """Who confirms the SPMT: the destination unit's head and their delegates (empty when
    the unit has no head: HR then records it), and whether the post needs a swearing-in."""

    deciders: list[str] = field(default_factory=list)
    structural: bool = False
    escalate_to: list[str] = field(default_factory=list)  # told when the SPMT is late


@dataclass(kw_only=True)
class ReportingRecord:
    case_id: str
    actor: str
    role: str
    reported_on: date
    document_sha256: str
    sworn_in_on: date | None
    at: datetime


@dataclass(frozen=True, kw_only=True)
class CaseRef:
    """What the case's activities need of its row that never changes once it opens, sent by
    the workflow (which opened the row from the same input) so an activity need not read it
    again. Absent in activities scheduled by workflows older than it: they read the row."""

    id: str
    nip: str
    agency_code: str
    workflow_id: str
    origin_position: str
    origin_unit: str
    destination_unit: str
    destination_position: str

    @classmethod
    def of(cls, c: CaseInput, workflow_id: str) -> CaseRef:
        return cls(
            id=c.case_id,
            nip=c.nip,
            agency_code=c.agency_code,
            workflow_id=workflow_id,
            origin_position=c.origin_position,
            origin_unit=c.origin_unit,
            destination_unit=c.destination_unit,
            destination_position=c.destination_position,
        )


@dataclass(kw_only=True)
class OpenCase:
    case: CaseInput
    run_id: str
    consultation_deadline: datetime
    at: datetime


@dataclass(kw_only=True)
class StageChange:
    case_id: str
    stage: str
    action: str
    actor: str = "sistem"
    role: str = "system"
    reason: str | None = None
    outcome: str | None = None
    detail: dict[str, Any] | None = None
    at: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    # The stage it leaves (the audit's old value), known to the workflow that set it.
    previous: str | None = None
    case: CaseRef | None = None


@dataclass(kw_only=True)
class ConsultationRecord:
    case_id: str
    response: str
    actor: str
    reason: str | None
    preferences: list[str]
    at: datetime
    case: CaseRef | None = None


@dataclass(kw_only=True)
class ObjectionRecord:
    case_id: str
    confirm: bool
    actor: str
    reason: str
    at: datetime


@dataclass(kw_only=True)
class TrainingAssign:
    case_id: str
    items: list[TrainingItem]
    due_on: date
    at: datetime


@dataclass(kw_only=True)
class TrainingDone:
    case_id: str
    program: str
    actor: str
    completed_on: date
    at: datetime


@dataclass(kw_only=True)
class OpenTasks:
    case_id: str
    step_index: int
    step: ChainStep
    at: datetime
    case: CaseRef | None = None


@dataclass(kw_only=True)
class DecisionRecord:
    task_id: str
    status: str  # approved | rejected
    actor: str
    comment: str
    at: datetime
    case: CaseRef | None = None


@dataclass(kw_only=True)
class Escalation:
    task_id: str
    at: datetime
    due_at: datetime
    reminder_at: datetime


@dataclass(kw_only=True)
class TaskAssign:
    task_id: str
    assignee_nip: str
    deciders: list[str]
    actor: str
    reason: str
    at: datetime
    role: str = "hr_admin"


@dataclass(kw_only=True)
class Reminder:
    case_id: str
    recipients: list[str]
    kind: str
    message: Msg
    at: datetime
    task_id: str | None = None


@dataclass(kw_only=True)
class DecreeRequest:
    case_id: str
    decided_on: date
    tmt: date
    at: datetime
    case: CaseRef | None = None
    # Set: the activity also records the case's stage changes around the decree, from this
    # stage to `decree` and on to `awaiting_tmt`, in the decree's transaction.
    previous: str | None = None


@dataclass(kw_only=True)
class DecreeIssued:
    number: str
    tmt: date
    # Remote or wet signature: numbered and drafted, not yet signed. The case waits for the
    # `decree_issued` signal that DecreeSigningWorkflow sends once it is.
    awaiting_signature: bool = False


@dataclass(kw_only=True)
class DecreeNotice:
    """A collective decree reached the case: its extract's number (what the employee holds),
    the collective decree's number, and the TMT."""

    extract_number: str
    collective_number: str
    tmt: date


@dataclass(kw_only=True)
class CollectiveRequest:
    batch_id: str
    agency_code: str
    case_ids: list[str]
    decided_on: date
    tmt: date
    actor: str
    at: datetime


@dataclass(kw_only=True)
class ExtractDelivery:
    workflow_id: str
    notice: DecreeNotice


@dataclass(kw_only=True)
class CollectiveIssued:
    number: str
    deliveries: list[ExtractDelivery] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # cases no longer waiting for a decree
    # Remote or wet signature: drafted; the extracts are delivered once it is signed.
    awaiting_signature: bool = False


@dataclass(kw_only=True)
class SignatureInput:
    """The PPK's signature on a drafted decree: through the remote service (the signer's
    NIK and passphrase, sealed for the worker: see mutasi.decree.sealed) or a hand-signed
    scan already in the document store."""

    number: str
    actor: str
    at: datetime
    nik: str = ""
    sealed_passphrase: str = ""
    scan_sha256: str = ""


@dataclass(kw_only=True)
class SignatureDone:
    number: str
    deliveries: list[ExtractDelivery] = field(default_factory=list)


@dataclass(kw_only=True)
class TransferApply:
    case_id: str
    at: datetime
    case: CaseRef | None = None


@dataclass(kw_only=True)
class Compensation:
    case_id: str
    actor: str
    reason: str
    at: datetime
    role: str = "hr_admin"  # whose act caused it: the rejecting approver's, or HR's withdrawal


@dataclass(kw_only=True)
class RevocationRequest:
    """A decree revoked as far as one employee is concerned (an upheld objection): the
    employee's decree or extract, why, and the letter deciding the objection."""

    number: str  # the employee's decree or extract
    reason: str
    letter_number: str
    actor: str
    at: datetime
    decided_on: date
    # objection: an upheld keberatan (PP 79/2021); withdrawal: the move withdrawn before TMT
    cause: str = "objection"


@dataclass(kw_only=True)
class RevocationIssued:
    number: str
    awaiting_signature: bool = False


@dataclass(kw_only=True)
class RevocationApply:
    """The signed revoking decree takes effect: the original is revoked, the move reversed."""

    number: str
    at: datetime
