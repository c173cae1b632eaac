"""The named states of a cycle, a case and a task, and the kinds of mutation. StrEnums: each
member equals its string, so rows, payloads and recorded histories keep the plain values."""

from __future__ import annotations

from enum import StrEnum


class CycleStatus(StrEnum):
    STARTING = "starting"
    ANALYSING = "analysing"
    PLANNING = "planning"
    PLAN_READY = "plan_ready"
    PLAN_APPROVED = "plan_approved"
    RUNNING = "running"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class Stage(StrEnum):
    """A case's stage, in lifecycle order; the last four also end it (its outcome)."""

    CONSULTATION = "consultation"
    HR_REVIEW = "hr_review"
    TRAINING = "training"
    APPROVAL = "approval"
    DECREE = "decree"
    AWAITING_TMT = "awaiting_tmt"
    REPORTING = "reporting"  # after TMT: waiting for the destination head's SPMT
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    BLOCKED = "blocked"  # never opened: its person already had an open case


# A case ends in one of these.
TERMINAL = frozenset({Stage.COMPLETED, Stage.REJECTED, Stage.WITHDRAWN, Stage.BLOCKED})


class TaskKind(StrEnum):
    DECIDED = "decided"  # by its deciders, in the inbox
    RECORDED = "recorded"  # decided on paper elsewhere; HR records the letter as evidence
    COMMITTEE = "committee"  # decided in a committee sitting; its signed minutes are evidence


class TaskStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class EvaluationStatus(StrEnum):
    """The post-mutation evaluation of a case (none until asked)."""

    OPEN = "open"
    SUBMITTED = "submitted"
    EXPIRED = "expired"


class MutationType(StrEnum):
    WITHIN_AGENCY = "within_agency"
    BETWEEN_REGENCIES = "between_regencies"
    BETWEEN_PROVINCES = "between_provinces"
    REGIONAL_CENTRAL = "regional_central"  # between a regional and a central agency
