"""HR's legal-process desk: verify documents, record outside offices' (and the PPK's) acts
from their letters, draft committee sittings, issue collective decrees, record an SPMT.
Every action goes through the same services as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response, UploadFile
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from api.auth import Actor
from api.deps import RowId, SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import HrPage, checked_form, redirect, refusal, render
from api.services.cases import update_case
from api.services.committee import SittingBody, draft_sitting
from api.services.decree_batches import BatchBody, issue_batch
from api.services.decree_signing import sign_remotely, upload_signed_scan
from api.services.documents import tell_case, upload_from_form, verify_document
from api.services.legal_desk import desk, letter_kind
from api.services.tasks import get_task_or_404
from api.validation_text import pesan
from contracts.case import RecordedAct, ReportingForDuty
from contracts.messages import Msg
from models import Agency, CaseDocument, MutationCase
from mutasi.dossier.checklist import SPMT_LETTER
from workflows.case import MutationCaseWorkflow

router = APIRouter(include_in_schema=False)


def _agency(session: Session, code: str | None) -> Agency | None:
    if code:
        return session.get(Agency, code)
    return session.execute(select(Agency).order_by(col(Agency.code))).scalars().first()


def desk_page(
    request: Request,
    session: Session,
    actor: Actor,
    agency_code: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    agency = _agency(session, agency_code)
    if agency is None:
        return render(request, "not_found.html", actor, 404, what=f"instansi {agency_code}")
    return render(
        request,
        "hr/legal.html",
        actor,
        status_code,
        agency=agency,
        agencies=session.execute(
            select(col(Agency.code), col(Agency.name)).order_by(col(Agency.code))
        ).all(),
        error=error,
        **desk(session, agency.code),
    )


@router.get("/hr/legal")
def legal_desk(
    request: Request, session: SessionDep, actor: HrPage, agency: str | None = None
) -> Response:
    return desk_page(request, session, actor, agency)


def _back(agency: str, message: str) -> Response:
    return redirect(f"/hr/legal?agency={agency}", message)


def _case(session: Session, case_id: str) -> MutationCase:
    case = session.get(MutationCase, case_id)
    if case is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.case_case_id_not_found", params={"case_id": str(case_id)}),
        )
    return case


@router.post("/hr/legal/{agency}/documents/{document_id}")
async def verify(
    agency: str, document_id: RowId, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    doc = session.get(CaseDocument, document_id)
    if doc is None:
        return desk_page(request, session, actor, agency, "Dokumen tidak ditemukan.", 404)
    case = _case(session, doc.case_id)
    accept = form.get("action") == "accept"
    try:
        verify_document(session, doc, case, actor, accept, (form.get("reason") or "").strip())
        await tell_case(request, session, case)
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    verdict = "diterima" if accept else "ditolak"
    return _back(agency, f"Dokumen {doc.kind} kasus {case.id} {verdict}.")


@router.post("/hr/legal/{agency}/acts/{task_id:path}")
async def record_act(
    agency: str, task_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    try:
        task = get_task_or_404(session, task_id)
        number = (form.get("letter_number") or "").strip()
        letter_date = date.fromisoformat(form.get("letter_date") or "")
        letter = await upload_from_form(
            request, session, actor, _case(session, task.case_id), letter_kind(task), form
        )
        message = await update_case(
            session,
            await get_temporal(request),
            task.case_id,
            MutationCaseWorkflow.record_act,
            RecordedAct(
                task_id=task.id,
                actor=actor.name,
                approve=form.get("action") == "approve",
                letter_number=number,
                letter_date=letter_date,
                document_sha256=letter.sha256,
                comment=(form.get("comment") or "").strip(),
            ),
            None,
            actor.name,
        )
    except ValueError:
        return desk_page(request, session, actor, agency, "Tanggal surat wajib diisi.", 422)
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    return _back(agency, f"{message.message} ({task.title}, kasus {task.case_id}).")


@router.post("/hr/legal/{agency}/sittings")
async def sitting(agency: str, request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    picked = form.get("case") or []
    picked = [picked] if isinstance(picked, str) else picked
    attendees = form.get("attendee") or []
    attendees = [attendees] if isinstance(attendees, str) else attendees
    try:
        body = SittingBody(
            agency_code=agency,
            kind=form.get("kind") or "tpk",
            held_on=form.get("held_on") or None,
            attendees=attendees,
            items=[
                {
                    "case_id": case_id,
                    "recommendation": form.get(f"rec:{case_id}") or "setuju",
                    "reason": (form.get(f"reason:{case_id}") or "").strip(),
                }
                for case_id in picked
            ],
        )
        made = draft_sitting(session, body, actor.name)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {pesan(e)}" for e in exc.errors()
        )
        return desk_page(request, session, actor, agency, f"Sidang tidak sah: {problems}", 422)
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    return _back(
        agency,
        f"Berita acara {made.number} disusun untuk {len(made.items)} kasus; "
        "menunggu tanda tangan ketua tim di kotak tugasnya.",
    )


@router.post("/hr/legal/{agency}/batches")
async def batch(agency: str, request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    picked = form.get("case") or []
    picked = [picked] if isinstance(picked, str) else picked
    try:
        body = BatchBody(
            agency_code=agency,
            case_ids=picked,
            tmt=form.get("tmt") or None,
        )
        issued = await issue_batch(
            session, request.app.state.settings, await get_temporal(request), body, actor.name
        )
    except ValidationError:
        return desk_page(request, session, actor, agency, "Tanggal tidak sah.", 422)
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    if issued["status"] == "awaiting_signature":
        return _back(
            agency,
            f"SK kolektif {issued['number']} disiapkan dan menunggu tanda tangan PPK.",
        )
    if issued["status"] != "issued":
        return _back(agency, "SK kolektif sedang diproses (mis. menunggu masa larangan berakhir).")
    return _back(
        agency,
        f"SK kolektif {issued['number']} terbit untuk {len(issued['extracts'])} pegawai; "
        "setiap pegawai menerima petikannya.",
    )


@router.post("/hr/legal/{agency}/signed-scan/{number:path}")
async def signed_scan(
    agency: str, number: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    upload = form.get("file")
    settings = request.app.state.settings
    try:
        if not isinstance(upload, UploadFile):
            raise ProblemError(
                422,
                Msg(code="problem.file_required"),
                Msg(code="problem.upload_the_scan_of_the_decree_pdf"),
            )
        data = await upload.read(settings.case_document_max_bytes + 1)
        done = await upload_signed_scan(
            session,
            settings,
            await get_temporal(request),
            number=number,
            data=data,
            actor=actor.name,
        )
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    return _back(agency, _signed_message(number, done.status))


@router.post("/hr/legal/{agency}/signature/{number:path}")
async def signature(
    agency: str, number: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    nik, passphrase = str(form.get("nik") or ""), str(form.get("passphrase") or "")
    try:
        if not (len(nik) == 16 and nik.isdigit()) or not passphrase:
            raise ProblemError(
                422,
                Msg(code="problem.incomplete_data"),
                Msg(code="problem.the_nik_16_digits_and_the_passphrase_are"),
            )
        done = await sign_remotely(
            session,
            request.app.state.settings,
            await get_temporal(request),
            number=number,
            nik=nik,
            passphrase=passphrase,
            actor=actor.name,
        )
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    return _back(agency, _signed_message(number, done.status))


def _signed_message(number: str, status: str) -> str:
    if status == "issued":
        return f"SK {number} ditandatangani dan terbit; pegawai menerima SK/petikannya."
    return f"Tanda tangan SK {number} sedang diproses (layanan TTE dicoba lagi otomatis)."


async def spmt_from_form(
    request: Request,
    session: Session,
    actor: Actor,
    case: MutationCase,
    form: dict[str, Any],
    nip: str,
) -> str:
    """The SPMT posted on a page: the signed document stored, then the case told (`nip`:
    the confirming head, or "" when HR records it). ValueError on a bad date."""
    reported_on = date.fromisoformat(form.get("reported_on") or "")
    sworn = form.get("sworn_in_on") or ""
    spmt = await upload_from_form(request, session, actor, case, SPMT_LETTER, form)
    done = await update_case(
        session,
        await get_temporal(request),
        case.id,
        MutationCaseWorkflow.confirm_reporting,
        ReportingForDuty(
            actor_nip=nip,
            actor=actor.name,
            reported_on=reported_on,
            document_sha256=spmt.sha256,
            sworn_in_on=date.fromisoformat(sworn) if sworn else None,
        ),
        None,
        actor.name,
    )
    return done.message


@router.post("/hr/legal/{agency}/reporting/{case_id}")
async def reporting(
    agency: str, case_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    try:
        message = await spmt_from_form(request, session, actor, _case(session, case_id), form, "")
    except ValueError:
        return desk_page(request, session, actor, agency, "Tanggal tidak sah.", 422)
    except ProblemError as exc:
        return desk_page(request, session, actor, agency, refusal(request, exc), exc.status)
    return _back(agency, f"{message} (kasus {case_id}).")
