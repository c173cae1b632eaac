"""The public shapes of what the API returns. Tables stay private to the server: each answer
is one of these models, built from its table's fields minus what the outside has no use for
(Temporal's workflow and run ids, password hashes, internal keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, create_model
from sqlmodel import SQLModel

from models import (
    ApprovalTask,
    CompetencySnapshot,
    Delegation,
    EmbargoWindow,
    Employee,
    LoginThrottle,
    MutationCase,
    Position,
    PositionLoadSnapshot,
    PostMutationEvaluation,
    Proposal,
    TransferCycle,
    Unit,
)


class PublicModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def public(
    table: type[SQLModel], name: str, hide: frozenset[str] = frozenset()
) -> type[PublicModel]:
    """A response model with `table`'s fields (their types, descriptions and defaults) but those
    in `hide`; a new column reaches the API only by being a field of the table."""
    fields: dict[str, Any] = {
        field_name: (info.annotation, info)
        for field_name, info in table.model_fields.items()
        if field_name not in hide
    }
    return create_model(name, __base__=PublicModel, __module__=__name__, **fields)


WORKFLOW_IDS = frozenset({"workflow_id", "run_id"})

if TYPE_CHECKING:
    # The checker sees each as the base model; at run time each carries its table's fields.
    CaseOut = PublicModel
    CycleView = PublicModel
    TaskOut = PublicModel
    ProposalOut = PublicModel
    NeedOut = PublicModel
    CompetencyOut = PublicModel
    UnitOut = PublicModel
    PositionOut = PublicModel
    EmployeeOut = PublicModel
    EvaluationOut = PublicModel
    ThrottleOut = PublicModel
    DelegationOut = PublicModel
    EmbargoWindowOut = PublicModel
else:
    CaseOut = public(MutationCase, "CaseOut", WORKFLOW_IDS)
    CycleView = public(TransferCycle, "CycleView", WORKFLOW_IDS)
    TaskOut = public(ApprovalTask, "TaskOut")
    ProposalOut = public(Proposal, "ProposalOut")
    NeedOut = public(PositionLoadSnapshot, "NeedOut")
    CompetencyOut = public(CompetencySnapshot, "CompetencyOut")
    UnitOut = public(Unit, "UnitOut")
    PositionOut = public(Position, "PositionOut")
    EmployeeOut = public(Employee, "EmployeeOut")
    EvaluationOut = public(PostMutationEvaluation, "EvaluationOut")
    ThrottleOut = public(LoginThrottle, "ThrottleOut")
    DelegationOut = public(Delegation, "DelegationOut")
    EmbargoWindowOut = public(EmbargoWindow, "EmbargoWindowOut")


def without_workflow_ids(bundle: dict[str, Any]) -> dict[str, Any]:
    """A case bundle (api.queries) as the API answers it: its case as `CaseOut`."""
    return {**bundle, "case": CaseOut.model_validate(bundle["case"])}


class Message(BaseModel):
    """What a change to a workflow answers: the outcome in words, for the person who asked."""

    message: str
