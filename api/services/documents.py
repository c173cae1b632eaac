"""A case's dossier for the API and the pages: who may see and add documents, uploads
checked by content and kept by hash, HR's verification, and the case told of the change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlmodel import Session, col
from starlette.datastructures import UploadFile
from temporalio.service import RPCError, RPCStatusCode

from api.auth import Actor
from api.deps import get_temporal
from api.errors import ProblemError
from api.queries import acting_for
from api.services.tasks import delegation_day
from contracts.case import DocumentsChanged
from contracts.chain import OUTSIDE_LETTERS
from contracts.messages import Msg
from models import ApprovalTask, CaseDocument, MutationCase
from mutasi.audit import chain as audit
from mutasi.dossier.checklist import LETTER_KINDS, PPK_LETTER, SPMT_LETTER, missing
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.dossier.records import accepted_kinds, checklist_for, latest_by_kind
from mutasi.infra.documents import DocumentStore, store_of
from mutasi.org.directory import OrgDirectory, Unresolvable
from workflows.case import MutationCaseWorkflow


def involved_in(session: Session, actor: Actor, case: MutationCase) -> bool:
    """The employee moved, or someone who decides (or decided) a task of the case, or the
    destination head who confirms the SPMT: they may read the dossier."""
    if not actor.nip:
        return False
    if actor.nip == case.nip:
        return True
    mine = set(acting_for(session, actor.nip, delegation_day()))
    tasks = session.execute(
        select(col(ApprovalTask.assignee_nip), col(ApprovalTask.deciders)).where(
            col(ApprovalTask.case_id) == case.id
        )
    ).all()
    if any(assignee in mine or actor.nip in (deciders or []) for assignee, deciders in tasks):
        return True
    try:
        return OrgDirectory(session).head_of(case.destination_unit) in mine
    except Unresolvable:
        return False


def check_may_read(session: Session, actor: Actor, case: MutationCase) -> None:
    if actor.has("hr_admin", "auditor") or involved_in(session, actor, case):
        return
    # As for an unknown case: nobody learns which cases exist.
    raise ProblemError(
        404,
        Msg(code="problem.not_found"),
        Msg(code="problem.case_id_not_found", params={"id": str(case.id)}),
    )


def allowed_kinds(case: MutationCase, checklist_codes: list[str], actor: Actor) -> set[str]:
    """HR may upload any checklist item and every letter; the employee only the checklist;
    an official of the case (the destination head confirming it) the SPMT."""
    if actor.has("hr_admin"):
        return set(checklist_codes) | set(LETTER_KINDS)
    if actor.nip == case.nip:
        return set(checklist_codes)
    return {SPMT_LETTER}


def document_out(doc: CaseDocument) -> dict[str, Any]:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": LETTER_KINDS.get(doc.kind, doc.kind),
        "filename": doc.filename,
        "media_type": doc.media_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "uploaded_by": doc.uploaded_by,
        "uploaded_at": doc.uploaded_at,
        "status": doc.status,
        "verified_by": doc.verified_by,
        "verified_at": doc.verified_at,
        "reason": doc.reason,
    }


def dossier(session: Session, case: MutationCase) -> dict[str, Any]:
    """The checklist with each item's latest upload, and every upload of the case."""
    latest = latest_by_kind(session, case.id)
    items = checklist_for(session, case.mutation_type)
    required = [i.code for i in items if i.required]
    accepted = accepted_kinds(session, case.id)
    uploads = session.execute(
        select(CaseDocument)
        .where(col(CaseDocument.case_id) == case.id)
        .order_by(col(CaseDocument.id))
    ).scalars()
    return {
        "case_id": case.id,
        "mutation_type": case.mutation_type,
        "checklist": [
            {
                "code": i.code,
                "title": i.title,
                "required": i.required,
                "status": latest[i.code].status if i.code in latest else "missing",
                "document_id": latest[i.code].id if i.code in latest else None,
            }
            for i in items
        ],
        "missing": missing(required, accepted),
        "documents": [document_out(d) for d in uploads],
    }


def store_upload(
    session: Session,
    store: DocumentStore,
    case: MutationCase,
    actor: Actor,
    kind: str,
    filename: str,
    data: bytes,
    limit: int,
) -> CaseDocument:
    codes = [i.code for i in checklist_for(session, case.mutation_type)]
    if kind not in allowed_kinds(case, codes, actor):
        known = kind in codes or kind in LETTER_KINDS
        raise ProblemError(
            403 if known else 422,
            Msg(code="problem.document_type_refused"),
            f"Anda tidak dapat mengunggah '{kind}' untuk kasus ini"
            if known
            else f"jenis dokumen '{kind}' tidak ada pada daftar periksa {case.mutation_type}",
        )
    try:
        media_type = check_upload(data, limit)
    except RefusedFile as exc:
        raise ProblemError(
            413 if len(data) > limit else 415, Msg(code="problem.file_refused"), str(exc)
        ) from exc
    digest = store.put(data)
    now = datetime.now(UTC)
    role = "hr_admin" if actor.has("hr_admin") else "employee"
    doc = CaseDocument(
        case_id=case.id,
        kind=kind,
        filename=filename[:200] or "berkas",
        media_type=media_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor.name,
        uploaded_role=role,
        uploaded_at=now,
    )
    session.add(doc)
    session.flush()
    _audit(session, case, doc, "document.uploaded", actor.name, role, None, now)
    session.commit()
    return doc


async def upload_from_form(
    request: Request,
    session: Session,
    actor: Actor,
    case: MutationCase,
    kind: str,
    form: dict[str, Any],
) -> CaseDocument:
    """A page's file field stored as the case's document (read no further than the limit)."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ProblemError(
            422,
            Msg(code="problem.file_required"),
            Msg(code="problem.upload_a_pdf_jpeg_or_png_file"),
        )
    settings = request.app.state.settings
    limit = settings.case_document_max_bytes
    data = await upload.read(limit + 1)
    return store_upload(
        session, store_of(settings), case, actor, kind, upload.filename or "", data, limit
    )


def verify_document(
    session: Session, doc: CaseDocument, case: MutationCase, actor: Actor, accept: bool, reason: str
) -> CaseDocument:
    if not accept and not reason.strip():
        raise ProblemError(
            422,
            Msg(code="problem.reason_required"),
            Msg(code="problem.a_refused_document_needs_a_reason"),
        )
    latest = latest_by_kind(session, case.id).get(doc.kind)
    if latest is None or latest.id != doc.id:
        raise ProblemError(
            409,
            Msg(code="problem.document_already_replaced"),
            Msg(code="problem.only_the_latest_upload_of_a_kind_is_verified"),
        )
    now = datetime.now(UTC)
    doc.status = "accepted" if accept else "rejected"
    doc.verified_by, doc.verified_at, doc.reason = actor.name, now, reason.strip() or None
    _audit(session, case, doc, f"document.{doc.status}", actor.name, "hr_admin", doc.reason, now)
    session.commit()
    return doc


def _audit(
    session: Session,
    case: MutationCase,
    doc: CaseDocument,
    action: str,
    actor: str,
    role: str,
    reason: str | None,
    at: datetime,
) -> None:
    audit.append(
        session,
        audit.AuditInput(
            key=f"document/{doc.id}/{action}",
            agency_code=case.agency_code,
            at=at,
            actor=actor,
            role=role,
            action=action,
            subject_type="document",
            subject_id=str(doc.id),
            reason=reason,
            new={"case": case.id, "kind": doc.kind, "sha256": doc.sha256, "size": doc.size},
            workflow_id=case.workflow_id,
        ),
    )


async def tell_case(request: Request, session: Session, case: MutationCase) -> None:
    """Signal the open case which required kinds are now accepted (its decision gate). A
    closed case is not told, so a late upload does not need Temporal."""
    if case.outcome is not None:
        return
    accepted = accepted_kinds(session, case.id)
    temporal = await get_temporal(request)
    try:
        await temporal.get_workflow_handle(case.workflow_id).signal(
            MutationCaseWorkflow.documents_changed, DocumentsChanged(accepted=accepted)
        )
    except RPCError as exc:  # the case ended meanwhile: nothing waits for its documents
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise


def letter_for(session: Session, task: ApprovalTask, document_id: int) -> CaseDocument:
    """The uploaded letter a recorded act rests on: of this case, of the act's letter kind."""
    doc = session.get(CaseDocument, document_id)
    expected = OUTSIDE_LETTERS.get(task.role, PPK_LETTER)
    if doc is None or doc.case_id != task.case_id:
        raise ProblemError(
            422,
            Msg(code="problem.letter_not_found"),
            Msg(
                code="problem.document_document_id_does_not_belong_to_this",
                params={"document_id": str(document_id)},
            ),
        )
    if doc.kind != expected:
        raise ProblemError(
            422,
            Msg(code="problem.wrong_kind_of_letter"),
            Msg(
                code="problem.this_step_needs_value_not_kind",
                params={"value": str(LETTER_KINDS[expected]), "kind": str(doc.kind)},
            ),
        )
    return doc
