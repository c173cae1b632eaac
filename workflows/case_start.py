"""Starting a case as a child of the workflow that decided it (a cycle, or a request): the
case outlives its parent, and a start repeated by a later run or attempt does nothing."""

from __future__ import annotations

import contextlib

from temporalio import workflow
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from contracts.case import CaseInput
    from contracts.enums import Stage
    from contracts.ids import case_workflow_id
    from workflows.case import MutationCaseWorkflow
    from workflows.visibility import starting


async def start_case(case: CaseInput) -> None:
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await workflow.start_child_workflow(
            MutationCaseWorkflow.run,
            case,
            id=case_workflow_id(case.case_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
            search_attributes=starting(case.cycle_id, case.agency_code, Stage.CONSULTATION),
        )
