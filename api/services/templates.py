"""Approval chains per mutation type for the API and the pages: the stored template, else
the default; replaced only when every step is valid (`contracts.chain.validate_steps`, and
named positions that exist)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session

from api.errors import ProblemError
from contracts.chain import (
    DEFAULT_TEMPLATES,
    MAX_STEPS,
    ROLE_TITLES,
    STEP_KINDS,
    ChainStep,
    position_of,
    validate_steps,
)
from contracts.messages import Msg
from models import ApprovalTemplate, Position


class TemplateBody(BaseModel):
    name: str = Field(..., min_length=3, max_length=200)
    steps: list[ChainStep] = Field(..., min_length=1, max_length=MAX_STEPS)


class TemplateOut(BaseModel):
    mutation_type: str
    name: str
    steps: list[ChainStep]
    customised: bool


def templates(session: Session) -> list[TemplateOut]:
    stored = {t.mutation_type: t for t in session.execute(select(ApprovalTemplate)).scalars()}
    out = []
    for kind, default in DEFAULT_TEMPLATES.items():
        if kind in stored:
            out.append(
                TemplateOut(
                    mutation_type=kind,
                    name=stored[kind].name,
                    steps=stored[kind].steps,
                    customised=True,
                )
            )
        else:
            out.append(
                TemplateOut(
                    mutation_type=kind,
                    name=default.name,
                    steps=[asdict(s) for s in default.steps],
                    customised=False,
                )
            )
    return out


def save_template(session: Session, mutation_type: str, body: TemplateBody) -> TemplateOut:
    if mutation_type not in DEFAULT_TEMPLATES:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.unknown_transfer_type_mutation_type",
                params={"mutation_type": str(mutation_type)},
            ),
            choices=sorted(DEFAULT_TEMPLATES),
        )
    problems = validate_steps(body.steps) + [
        f"langkah {i}: jabatan {code} tidak ada"
        for i, step in enumerate(body.steps, start=1)
        for code in filter(None, map(position_of, step.roles))
        if session.get(Position, code) is None
    ]
    if problems:
        raise ProblemError(
            422,
            Msg(code="problem.invalid_approval_chain"),
            "; ".join(problems),
            errors=problems,
            roles=sorted(ROLE_TITLES),
            step_kinds=STEP_KINDS,
        )
    steps = [asdict(s) for s in body.steps]
    template = session.get(ApprovalTemplate, mutation_type) or ApprovalTemplate(
        mutation_type=mutation_type, name=body.name, steps=steps, updated_at=datetime.now(UTC)
    )
    template.name, template.steps, template.updated_at = body.name, steps, datetime.now(UTC)
    session.add(template)
    session.commit()
    return TemplateOut(
        mutation_type=mutation_type, name=body.name, steps=body.steps, customised=True
    )
