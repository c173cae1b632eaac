"""What the API answers about a case: the case with everything around it, its history, the
employee's own view of it, and an approver's view of a task."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import Field

from api.schemas import WORKFLOW_IDS, CaseOut, ProposalOut, PublicModel, TaskOut, public
from models import Consultation, Decree, TrainingAssignment, TransferRequest

if TYPE_CHECKING:
    ConsultationOut = PublicModel
    TrainingOut = PublicModel
    DecreeOut = PublicModel
    RequestOut = PublicModel
else:
    ConsultationOut = public(Consultation, "ConsultationOut")
    TrainingOut = public(TrainingAssignment, "TrainingOut")
    DecreeOut = public(Decree, "DecreeOut")
    RequestOut = public(TransferRequest, "RequestOut", WORKFLOW_IDS)


class Place(PublicModel):
    position: str = Field(description="jabatan (nama)")
    unit: str = Field(description="unit kerja (nama)")


class CaseBundle(PublicModel):
    """A case with its proposal, consultation, tasks, trainings and decree (HR, auditors)."""

    case: CaseOut
    employee_name: str
    origin: Place
    destination: Place
    proposal: ProposalOut | None
    request: RequestOut | None
    consultation: ConsultationOut | None
    tasks: list[TaskOut]
    trainings: list[TrainingOut]
    decree: DecreeOut | None


class OwnStep(PublicModel):
    """An approval step as the employee reads it: by title, not by who holds it."""

    step: int
    title: str
    status: str
    due_at: datetime
    decided_at: datetime | None
    comment: str | None


class OwnCase(PublicModel):
    """The employee's own case: their proposal with no one else in it."""

    case: CaseOut
    employee_name: str
    origin: Place
    destination: Place
    proposal: dict[str, Any] | None = Field(description="usulan tanpa data pegawai lain")
    request: RequestOut | None
    consultation: ConsultationOut | None
    tasks: list[OwnStep]
    trainings: list[TrainingOut]
    decree: DecreeOut | None


class HistoryEvent(PublicModel):
    seq: int | None
    at: datetime
    actor: str
    role: str
    action: str
    subject_type: str
    subject_id: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None
    workflow_id: str | None
    run_id: str | None
    hash: str | None


class CaseHistory(PublicModel):
    case_id: str
    workflow_id: str
    run_id: str | None
    temporal_ui: str | None = Field(description="tautan Temporal Web UI")
    events: list[HistoryEvent]


class TaskContext(PublicModel):
    """What an approver needs to decide: the task, the case, the proposal's explanation with
    workload before/after and JPM, and the employee's consultation answer."""

    task: TaskOut
    case: CaseOut
    employee_name: str
    origin: Place
    destination: Place
    explanation: str | None
    record: dict[str, Any]
    jpm: float | None
    workload: dict[str, Any]
    jpm_origin: float | None
    consultation: ConsultationOut | None
    other_steps: list[TaskOut]
    chain: list[TaskOut]
    names: dict[str, str] = Field(description="NIP → nama, untuk langkah-langkah rantai")
