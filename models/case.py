"""One employee's move through the lifecycle: consultation, training, approval tasks,
decree, effective date. Rows are written only by idempotent activities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# A case is open until it has an outcome. One open case per person, across cycles: a
# partial unique index, which SQLite and PostgreSQL both enforce.
OPEN_CASE = "outcome IS NULL"
OPEN_CASE_PER_NIP = "uq_mutation_case_open_nip"


class MutationCase(SQLModel, table=True):
    __tablename__ = "mutation_case"
    __table_args__ = (
        Index(
            OPEN_CASE_PER_NIP,
            "nip",
            unique=True,
            sqlite_where=text(OPEN_CASE),
            postgresql_where=text(OPEN_CASE),
        ),
    )

    id: str = Field(
        primary_key=True, max_length=96
    )  # "<cycle id>.<NIP>", or "<request id>.<NIP>" for a move outside a cycle
    cycle_id: str | None = Field(
        default=None, foreign_key="transfer_cycle.id", index=True, max_length=64
    )
    # Set when the case comes from an employee's request or HR's individual move.
    request_id: str | None = Field(default=None, index=True, max_length=40)
    nip: str = Field(foreign_key="employee.nip", index=True, max_length=18)
    agency_code: str = Field(max_length=32)
    mutation_type: str = Field(
        max_length=24
    )  # within_agency | between_regencies | between_provinces
    origin_position: str = Field(max_length=32)
    origin_unit: str = Field(max_length=32)
    destination_position: str = Field(max_length=32)
    destination_unit: str = Field(max_length=32)
    stage: str = Field(max_length=24, index=True)
    outcome: str | None = Field(default=None, max_length=16)  # completed | rejected | withdrawn
    outcome_reason: str | None = None
    requested_by: str = Field(max_length=120)
    tmt: date | None = None
    workflow_id: str = Field(max_length=128)
    run_id: str = Field(default="", max_length=64)
    created_at: datetime
    updated_at: datetime


class Consultation(SQLModel, table=True):
    __tablename__ = "consultation"

    case_id: str = Field(foreign_key="mutation_case.id", primary_key=True, max_length=96)
    nip: str = Field(index=True, max_length=18)
    deadline: datetime
    reminded_at: datetime | None = None
    response: str | None = Field(
        default=None, max_length=24
    )  # accepted | objected | deemed_accepted | routed_to_hr
    reason: str | None = None
    preferences: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    responded_at: datetime | None = None
    hr_resolution: str | None = Field(default=None, max_length=16)  # confirmed | withdrawn
    hr_reason: str | None = None
    hr_actor: str | None = Field(default=None, max_length=120)


class TrainingAssignment(SQLModel, table=True):
    __tablename__ = "training_assignment"

    case_id: str = Field(foreign_key="mutation_case.id", primary_key=True, max_length=96)
    program: str = Field(primary_key=True, max_length=200)
    nip: str = Field(index=True, max_length=18)
    kind: str = Field(max_length=24)
    jp: int = Field(ge=0)
    reason: str = ""
    due_on: date
    status: str = Field(default="assigned", max_length=16)  # assigned | completed | cancelled
    completed_on: date | None = None


class ApprovalTask(SQLModel, table=True):
    __tablename__ = "approval_task"
    # The inbox query: my open tasks, soonest deadline first.
    __table_args__ = (Index("ix_approval_task_inbox", "assignee_nip", "status", "due_at"),)

    id: str = Field(primary_key=True, max_length=128)  # "<case id>/<step>/<role>"
    case_id: str = Field(foreign_key="mutation_case.id", index=True, max_length=96)
    step: int
    role: str = Field(max_length=64)  # a step token of contracts.chain
    title: str = Field(max_length=200)
    # "decided": by its deciders in the inbox; "recorded": another office (or the PPK in
    # person) decided on paper and HR records the letter below.
    kind: str = Field(default="decided", max_length=16)
    assignee_nip: str = Field(index=True, max_length=18)
    deciders: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(
        default="open", index=True, max_length=16
    )  # open | approved | rejected | cancelled | skipped
    due_at: datetime = Field(index=True)
    reminded_at: datetime | None = None
    escalations: int = 0
    decided_by: str | None = Field(default=None, max_length=120)
    decided_at: datetime | None = None
    comment: str | None = None
    created_at: datetime
    letter_number: str | None = Field(default=None, max_length=120)
    letter_date: date | None = None
    document_sha256: str | None = Field(default=None, max_length=64)


class Delegation(SQLModel, table=True):
    """A substitute approver (Plt./Plh.) for a period."""

    __tablename__ = "delegation"

    id: int | None = Field(default=None, primary_key=True)
    delegator_nip: str = Field(foreign_key="employee.nip", index=True, max_length=18)
    delegate_nip: str = Field(foreign_key="employee.nip", max_length=18)
    starts_on: date
    ends_on: date
    reason: str = Field(max_length=500)
    created_by: str = Field(max_length=120)
    created_at: datetime
    revoked_at: datetime | None = None


class DecreeSequence(SQLModel, table=True):
    """Gap-free decree numbering per agency and year."""

    __tablename__ = "decree_sequence"

    agency_code: str = Field(primary_key=True, max_length=32)
    year: int = Field(primary_key=True)
    last: int = 0


# One number per decree in an agency's yearly series; the extracts (petikan) of a collective
# decree share its number's sequence, one per annex row.
DECREE_SERIES = "uq_decree_series"


class Decree(SQLModel, table=True):
    """A decree of one case, or one employee's extract (petikan) of a collective decree:
    either way what that employee holds, verifies and moves by."""

    __tablename__ = "decree"
    __table_args__ = (
        UniqueConstraint("agency_code", "year", "sequence", "extract_no", name=DECREE_SERIES),
    )

    number: str = Field(primary_key=True, max_length=80)
    case_id: str = Field(foreign_key="mutation_case.id", unique=True, max_length=96)
    agency_code: str = Field(max_length=32)
    year: int
    sequence: int
    decided_on: date
    tmt: date
    # unsigned (drafted, awaiting the PPK's remote or hand signature) | issued | annulled |
    # revoked (by the revoking decree `revoked_by`)
    status: str = Field(default="issued", max_length=16)
    annulled_reason: str | None = None
    revoked_by: str | None = Field(default=None, max_length=80)
    annex: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    applied_at: datetime | None = None
    # Ed25519 over mutasi.decree.signing.signed_content (base64), and which key signed it.
    signature: str | None = Field(default=None, max_length=100)
    key_id: str | None = Field(default=None, max_length=16)
    # Printed in the QR code: the public verification answers only for number + this code,
    # so decrees cannot be enumerated by their sequential numbers.
    verification_code: str | None = Field(default=None, max_length=32)
    # The agency's audit chain head right after this decree's own event: signed with the
    # decree, so the chain up to here cannot be rewritten unseen (mutasi.audit.anchor).
    chain_seq: int | None = None
    chain_hash: str | None = Field(default=None, max_length=64)
    # 0: a decree of its own; n: row n of the collective decree `collective_number`.
    extract_no: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    collective_number: str | None = Field(default=None, max_length=80, index=True)


class CollectiveDecree(SQLModel, table=True):
    """One decree for a signing batch (one agency and PPK): every employee in its annex,
    each holding an extract (a `Decree` row with `collective_number`)."""

    __tablename__ = "collective_decree"
    __table_args__ = (UniqueConstraint("agency_code", "year", "sequence"),)

    number: str = Field(primary_key=True, max_length=80)
    batch_id: str = Field(unique=True, max_length=96)  # its workflow: issued once
    agency_code: str = Field(max_length=32, index=True)
    year: int
    sequence: int
    decided_on: date
    tmt: date
    status: str = Field(default="issued", max_length=16)
    annulled_reason: str | None = None
    # {"rows": [annex rows], "considering": ["Berita acara ...", "Pertimbangan teknis ..."]}
    annex: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    signature: str | None = Field(default=None, max_length=100)
    key_id: str | None = Field(default=None, max_length=16)
    verification_code: str | None = Field(default=None, max_length=32)
    chain_seq: int | None = None
    chain_hash: str | None = Field(default=None, max_length=64)
    issued_by: str = Field(max_length=120)
    created_at: datetime


class Notification(SQLModel, table=True):
    """A reminder or notice to a person (delivered by the pages; mail can hang off it)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_outbox", "mail_status", "created_at"),)

    key: str = Field(primary_key=True, max_length=160)  # idempotency key from the workflow
    recipient_nip: str = Field(index=True, max_length=18)
    case_id: str | None = Field(default=None, max_length=96)
    kind: str = Field(max_length=32)
    message: str  # in Bahasa Indonesia, as mailed
    # The message as a catalog code and its values (contracts.messages.Msg), shown in the
    # reader's language; None on notices written before codes.
    message_code: str | None = Field(default=None, max_length=64)
    message_params: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime
    read_at: datetime | None = None
    # The outbox: written in the same transaction as the change it tells of, then mailed
    # once by the mail activity. pending | sending | sent | no_address | bounced | skipped
    mail_status: str = Field(
        default="pending", max_length=12, sa_column_kwargs={"server_default": "pending"}
    )
    mail_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    mailed_at: datetime | None = None
    mail_error: str | None = Field(default=None, max_length=500)


class AuditEvent(SQLModel, table=True):
    """Append-only history. Written unlinked; the sealer (mutasi.audit.chain.seal) gives each
    event its place in its agency's chain: `seq`, and a hash covering the previous event."""

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("agency_code", "seq"),
        Index(
            "ix_audit_event_unsealed",
            "agency_code",
            "id",
            sqlite_where=text("seq IS NULL"),
            postgresql_where=text("seq IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)  # idempotency key: a retried write adds nothing
    agency_code: str = Field(max_length=32)
    seq: int | None = None  # None until sealed
    at: datetime
    actor: str = Field(max_length=120)
    role: str = Field(max_length=32)
    action: str = Field(max_length=48, index=True)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(index=True, max_length=128)
    old: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    new: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    reason: str | None = None
    workflow_id: str | None = Field(default=None, max_length=128)
    run_id: str | None = Field(default=None, max_length=64)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)
    # HMAC-SHA256 of what the event says, keyed by MUTASI_AUDIT_MAC_KEY (not in the database).
    mac: str | None = Field(default=None, max_length=64)


class ApprovalTemplate(SQLModel, table=True):
    """Approval chain per mutation type; steps are JSON (see workflows.chain)."""

    __tablename__ = "approval_template"

    mutation_type: str = Field(primary_key=True, max_length=24)
    name: str = Field(max_length=200)
    steps: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class AuditChainHead(SQLModel, table=True):
    """The last sealed link of each agency's audit chain; locked while sealing."""

    __tablename__ = "audit_chain_head"

    agency_code: str = Field(primary_key=True, max_length=32)
    seq: int = 0
    hash: str = Field(default="0" * 64, max_length=64)


class PostMutationEvaluation(SQLModel, table=True):
    """The destination head's evaluation some time after TMT (service indicators 1-5,
    adaptation 1-5, comment); expired when nobody answered by the deadline."""

    __tablename__ = "post_mutation_evaluation"

    case_id: str = Field(foreign_key="mutation_case.id", primary_key=True, max_length=96)
    cycle_id: str = Field(index=True, max_length=64)
    nip: str = Field(max_length=18)
    destination_unit: str = Field(max_length=32)
    evaluator_nip: str = Field(index=True, max_length=18)
    deciders: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=16)  # open | submitted | expired
    due_at: datetime
    opened_at: datetime
    indicators: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))
    adaptation_score: int | None = None
    comment: str | None = None
    submitted_by: str | None = Field(default=None, max_length=18)
    submitted_at: datetime | None = None
