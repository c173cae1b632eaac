"""The input of one case: a planned move's or a request's. Which chain and checklist apply
follow from where the move goes; the receiving agency holds the case."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col
from temporalio.exceptions import ApplicationError

from contracts.case import CASE_REVISION, CaseInput, CasePolicy, TrainingItem
from contracts.chain import DEFAULT_TEMPLATES, ChainStep, mutation_type, validate_steps
from models import Agency, ApprovalTemplate, Unit
from mutasi.dossier.records import required_kinds


class CaseBuilder:
    """Reads the templates, units and agencies once for a batch of cases."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.templates = {
            t.mutation_type: checked_steps(t) for t in s.execute(select(ApprovalTemplate)).scalars()
        }
        self.units = {u.code: u for u in s.execute(select(Unit)).scalars()}
        self.agencies = {
            code: (code, province, kind)
            for code, province, kind in s.execute(
                select(col(Agency.code), col(Agency.province), col(Agency.kind))
            ).all()
        }
        self._required: dict[str, list[str]] = {}

    def build(
        self,
        *,
        case_id: str,
        nip: str,
        name: str,
        origin_position: str,
        origin_unit: str,
        destination_position: str,
        destination_unit: str,
        requested_by: str,
        requested_by_nip: str | None,
        training: list[TrainingItem],
        policy: CasePolicy,
        cycle_id: str = "",
        cycle_workflow_id: str = "",
        request_id: str = "",
        consent: str = "",
    ) -> CaseInput:
        origin_agency = self.units[origin_unit].agency_code
        dest_agency = self.units[destination_unit].agency_code
        kind = mutation_type(
            self.agencies.get(origin_agency, (origin_agency, "")),
            self.agencies.get(dest_agency, (dest_agency, "")),
        )
        steps = self.templates.get(kind) or DEFAULT_TEMPLATES[kind].steps
        if kind not in self._required:
            self._required[kind] = required_kinds(self.s, kind)
        return CaseInput(
            case_id=case_id,
            cycle_id=cycle_id,
            cycle_workflow_id=cycle_workflow_id,
            nip=nip,
            name=name,
            # The receiving agency places the employee by its own decree.
            agency_code=dest_agency,
            mutation_type=kind,
            origin_position=origin_position,
            origin_unit=origin_unit,
            destination_position=destination_position,
            destination_unit=destination_unit,
            requested_by=requested_by,
            requested_by_nip=requested_by_nip,
            steps=list(steps),
            training=training,
            policy=policy,
            required_documents=self._required[kind],
            request_id=request_id,
            consent=consent,
            revision=CASE_REVISION,
        )


def checked_steps(template: ApprovalTemplate) -> list[ChainStep]:
    try:
        steps = [ChainStep(**step) for step in template.steps]
    except TypeError as exc:
        problems = [f"langkah tidak terbaca: {exc}"]
    else:
        problems = validate_steps(steps)
    if problems:
        raise ApplicationError(
            f"templat persetujuan {template.mutation_type} tidak valid: {'; '.join(problems)}",
            type="InvalidTemplate",
            non_retryable=True,
        )
    return steps
