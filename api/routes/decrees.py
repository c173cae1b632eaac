"""Decrees: the signed PDF (HR, auditors, the employee concerned) and the public
verification anyone holding a printed decree can ask for (no login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from api.auth import HR_ONLY, Actor, ActorDep, HrActor, require
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.openapi import download
from api.schemas.decrees import FullVerification, PublicVerification, SigningOutcome
from api.services.decree_signing import (
    draft_for_hand_signature,
    sign_remotely,
    upload_signed_scan,
)
from api.services.files import read_limited
from contracts.messages import Msg
from models import CollectiveDecree, Decree
from mutasi.decree.records import decree_pdf, full_view, public_view, verify

router = APIRouter(tags=["surat keputusan"])


def may_read_decree(actor: Actor, decree: Decree | CollectiveDecree) -> bool:
    """HR and auditors read every decree; an employee only their own decree or extract (a
    collective decree lists others)."""
    if actor.has("hr_admin", "auditor"):
        return True
    return isinstance(decree, Decree) and decree.annex.get("nip") == actor.nip


def decree_or_404(session: Session, number: str) -> Decree | CollectiveDecree:
    decree = session.get(Decree, number) or session.get(CollectiveDecree, number)
    if decree is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.decree_number_number_not_found", params={"number": str(number)}),
        )
    return decree


@router.get(
    "/decrees/{number:path}/pdf",
    summary="The decree as a signed PDF (with verification QR code)",
    response_class=Response,
    responses=download("application/pdf"),
)
def get_decree_pdf(
    number: str, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> Response:
    decree = decree_or_404(session, number)
    if not may_read_decree(actor, decree):
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_decree_belongs_to_another_employee"),
        )
    filename = "SK-" + number.replace("/", "-") + ".pdf"
    return Response(
        decree_pdf(session, settings, decree),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get(
    "/public/decrees/{number:path}/verification",
    summary="Public: is this decree genuine, unaltered, and still in force? (number + the QR code's code)",
    response_model_exclude_unset=True,
)
def verify_decree(
    number: str,
    session: SessionDep,
    settings: SettingsDep,
    code: Annotated[
        str, Query(min_length=1, max_length=64, description="kode verifikasi pada QR SK")
    ],
) -> PublicVerification:
    return PublicVerification.model_validate(
        public_view(verify(session, settings, number[:80], code))
    )


@router.get(
    "/decrees/{number:path}/verification",
    summary="Full verification of a decree (HR, auditors, its employee)",
    response_model_exclude_unset=True,
)
def verify_decree_full(
    number: str, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> FullVerification:
    decree = decree_or_404(session, number)
    if not may_read_decree(actor, decree):
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_decree_belongs_to_another_employee"),
        )
    return FullVerification.model_validate(
        full_view(verify(session, settings, number, signed_in=True))
    )


def _pdf(content: bytes, number: str, prefix: str = "SK") -> Response:
    filename = f"{prefix}-" + number.replace("/", "-") + ".pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get(
    "/decrees/{number:path}/draft",
    dependencies=[HR_ONLY],
    summary="Wet signature: the draft to print for the PPK's hand signature (dated today)",
    response_class=Response,
    responses=download("application/pdf"),
)
def get_draft(number: str, session: SessionDep, settings: SettingsDep) -> Response:
    return _pdf(draft_for_hand_signature(session, settings, number), number, "NASKAH-SK")


@router.post(
    "/decrees/{number:path}/signed-scan",
    dependencies=[HR_ONLY],
    summary="Wet signature: upload the scan of the hand-signed decree (the decree of record)",
)
async def post_signed_scan(
    number: str,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: HrActor,
    file: Annotated[UploadFile, File(description="PDF pindaian SK yang telah ditandatangani")],
) -> SigningOutcome:
    data = await read_limited(file, settings.case_document_max_bytes)
    return await upload_signed_scan(
        session, settings, temporal, number=number, data=data, actor=actor.name
    )


class RemoteSignature(BaseModel):
    nik: str = Field(..., pattern=r"^\d{16}$", description="NIK penandatangan (16 digit)")
    passphrase: str = Field(..., min_length=1, max_length=200, description="tidak disimpan")


@router.post(
    "/decrees/{number:path}/signature",
    dependencies=[Depends(require("hr_admin", "approver"))],
    summary="Remote signature: the signer's NIK and passphrase for the signing service",
)
async def post_signature(
    number: str,
    body: RemoteSignature,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: ActorDep,
) -> SigningOutcome:
    return await sign_remotely(
        session,
        settings,
        temporal,
        number=number,
        nik=body.nik,
        passphrase=body.passphrase,
        actor=actor.name,
    )
