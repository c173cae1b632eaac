"""Signing batches: HR gathers the cases waiting for a decree into one collective decree
(an extract for each employee); and the agency's coat of arms printed on its decrees."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from sqlalchemy import select
from sqlmodel import col

from api.auth import HR_ONLY, HrActor
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.schemas.decree_batches import BatchDecree, BatchesStarted, CoatOfArms, WaitingForDecree
from api.services.agencies import agency_or_404
from api.services.decree_batches import BatchBody, issue_batch, pending_decree_cases
from api.services.files import read_limited
from contracts.messages import Msg
from models import CollectiveDecree
from mutasi.audit import chain as audit
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.infra.documents import store_of

router = APIRouter(tags=["surat keputusan"], dependencies=[HR_ONLY])


@router.get("/decree-batches/pending", summary="Cases waiting for a collective decree")
def pending(
    session: SessionDep, agency_code: Annotated[str, Query(max_length=32)]
) -> list[WaitingForDecree]:
    agency_or_404(session, agency_code)
    return [
        WaitingForDecree(case_id=c.id, nip=c.nip, mutation_type=c.mutation_type)
        for c in pending_decree_cases(session, agency_code)
    ]


@router.post(
    "/decree-batches",
    status_code=201,
    summary="Issue one collective decree",
    response_model_exclude_unset=True,
)
async def create_batch(
    body: BatchBody,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: HrActor,
) -> BatchesStarted:
    agency_or_404(session, body.agency_code)
    return BatchesStarted.model_validate(
        await issue_batch(session, settings, temporal, body, actor.name)
    )


@router.get("/decree-batches/{batch_id}", summary="A batch's collective decree, once issued")
def get_batch(batch_id: str, session: SessionDep) -> BatchDecree:
    decree = session.execute(
        select(CollectiveDecree).where(col(CollectiveDecree.batch_id) == batch_id)
    ).scalar_one_or_none()
    if decree is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_issued_yet"),
            Msg(
                code="problem.batch_batch_id_has_not_issued_its_decree_yet",
                params={"batch_id": str(batch_id)},
            ),
        )
    return BatchDecree(
        batch_id=batch_id,
        number=decree.number,
        decided_on=decree.decided_on,
        tmt=decree.tmt,
        employees=len(decree.annex["rows"]),
        considering=decree.annex["considering"],
        status=decree.status,
    )


@router.put("/agencies/{agency_code}/coat-of-arms", summary="The coat of arms printed on decrees")
async def put_coat_of_arms(
    agency_code: str,
    session: SessionDep,
    settings: SettingsDep,
    actor: HrActor,
    file: Annotated[UploadFile, File(description="PNG atau JPEG")],
) -> CoatOfArms:
    agency = agency_or_404(session, agency_code)
    limit = 1024 * 1024
    data = await read_limited(file, limit)
    try:
        kind = check_upload(data, limit)
    except RefusedFile as exc:
        raise ProblemError(415, Msg(code="problem.file_refused"), str(exc)) from exc
    if kind == "application/pdf":
        raise ProblemError(
            415,
            Msg(code="problem.file_refused"),
            Msg(code="problem.the_emblem_must_be_a_png_or_jpeg_image"),
        )
    digest = store_of(settings).put(data)
    old, agency.coat_of_arms = agency.coat_of_arms, digest
    audit.append(
        session,
        audit.AuditInput(
            key=f"coat-of-arms/{agency_code}/{digest}",
            agency_code=agency_code,
            at=datetime.now(UTC),
            actor=actor.name,
            role="hr_admin",
            action="agency.coat_of_arms",
            subject_type="agency",
            subject_id=agency_code,
            old={"sha256": old},
            new={"sha256": digest},
        ),
    )
    session.commit()
    return CoatOfArms(agency_code=agency_code, sha256=digest, media_type=kind)
