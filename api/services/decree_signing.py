"""The PPK's signature on a drafted decree, for the API: the draft to print for a hand
signature, the signed scan uploaded, or the signer's NIK and passphrase for the remote
signing service; each starts DecreeSigningWorkflow once and waits a moment for its answer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from api.errors import ProblemError
from api.schemas.decrees import SigningOutcome
from contracts.case import SignatureInput
from contracts.messages import Msg
from models import IssuedDocument
from mutasi.decree.frozen import AWAITING, dated, render, template_of
from mutasi.decree.sealed import seal
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.infra.clock import today
from mutasi.infra.documents import store_of
from mutasi.infra.settings import Settings
from workflows.decree_signing import DecreeSigningWorkflow, signing_workflow_id

WAIT_SECONDS = 20


def awaiting_or_409(session: Session, number: str, method: str) -> IssuedDocument:
    doc = session.get(IssuedDocument, number)
    if doc is None or doc.kind not in ("decree", "collective", "revocation"):
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.decree_number_number_not_found", params={"number": str(number)}),
        )
    if doc.state != AWAITING:
        raise ProblemError(
            409,
            Msg(code="problem.already_signed"),
            Msg(code="problem.decree_number_is_already_signed", params={"number": str(number)}),
        )
    if doc.method != method:
        raise ProblemError(
            409,
            Msg(code="problem.another_way_of_signing"),
            Msg(
                code="problem.decree_number_is_signed_by_method_not_method2",
                params={"number": str(number), "method": str(doc.method), "method2": str(method)},
            ),
        )
    return doc


def draft_for_hand_signature(session: Session, settings: Settings, number: str) -> bytes:
    """The draft the PPK signs by hand, dated today (the day it is printed): the decree will
    carry this date once its scan is uploaded. Printing again on a later day re-dates it."""
    doc = awaiting_or_409(session, number, "wet")
    on = today()
    doc.draft_dated = on
    session.add(doc)
    session.commit()
    return render(store_of(settings), template_of(session, doc), dated(doc.snapshot, on))


async def _sign(temporal: Client, settings: Settings, inp: SignatureInput) -> SigningOutcome:
    try:
        handle = await temporal.start_workflow(
            DecreeSigningWorkflow.run,
            inp,
            id=signing_workflow_id(inp.number),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        )
    except WorkflowAlreadyStartedError as exc:
        raise ProblemError(
            409,
            Msg(code="problem.in_progress"),
            Msg(
                code="problem.the_signature_of_decree_number_is_under_way_or",
                params={"number": str(inp.number)},
            ),
        ) from exc
    try:
        await asyncio.wait_for(handle.result(), WAIT_SECONDS)
    except TimeoutError:  # e.g. the signing service is down: it is retried
        return SigningOutcome(number=inp.number, status="processing")
    except WorkflowFailureError as exc:
        cause = getattr(exc.cause, "cause", None)
        message = cause.message if isinstance(cause, ApplicationError) else str(exc)
        raise ProblemError(422, Msg(code="problem.signature_refused"), message) from exc
    return SigningOutcome(number=inp.number, status="issued")


async def sign_remotely(
    session: Session,
    settings: Settings,
    temporal: Client,
    *,
    number: str,
    nik: str,
    passphrase: str,
    actor: str,
) -> SigningOutcome:
    awaiting_or_409(session, number, "remote")
    session.close()
    inp = SignatureInput(
        number=number,
        actor=actor,
        at=datetime.now(UTC),
        nik=nik,
        sealed_passphrase=seal(settings.jwt_secret, passphrase),
    )
    return await _sign(temporal, settings, inp)


async def upload_signed_scan(
    session: Session,
    settings: Settings,
    temporal: Client,
    *,
    number: str,
    data: bytes,
    actor: str,
) -> SigningOutcome:
    doc = awaiting_or_409(session, number, "wet")
    if doc.draft_dated is None:
        raise ProblemError(
            409,
            Msg(code="problem.draft_not_printed"),
            Msg(code="problem.print_the_draft_for_signature_first"),
        )
    try:
        kind = check_upload(data, settings.case_document_max_bytes)
    except RefusedFile as exc:
        raise ProblemError(422, Msg(code="problem.file_refused"), str(exc)) from exc
    if kind != "application/pdf":
        raise ProblemError(
            422,
            Msg(code="problem.file_refused"),
            Msg(code="problem.the_scan_of_the_decree_must_be_a_pdf"),
        )
    digest = store_of(settings).put(data)
    session.close()
    inp = SignatureInput(number=number, actor=actor, at=datetime.now(UTC), scan_sha256=digest)
    return await _sign(temporal, settings, inp)
