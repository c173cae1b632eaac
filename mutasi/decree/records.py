"""A decree read from the database: its PDF document and its public verification."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.chain import OUTSIDE_LETTERS
from contracts.enums import TaskKind, TaskStatus
from models import Agency, ApprovalTask, CollectiveDecree, Decree, Employee, IssuedDocument
from mutasi.audit.decree_status import status_drift
from mutasi.decree.frozen import ISSUED, check_document, dated, render, template_of
from mutasi.decree.pdf import DecreeDocument, render_decree, tanggal, verify_url
from mutasi.decree.signing import Verification, decree_content, verify_decree
from mutasi.dossier.checklist import LETTER_KINDS, PPK_LETTER
from mutasi.infra.clock import today
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing, DocumentStore, store_of
from mutasi.infra.record_key import DecreeSigner, signature_valid
from mutasi.infra.settings import Settings
from mutasi.org.directory import OrgDirectory, Unresolvable


def decree_document(
    session: Session, settings: Settings, decree: Decree | CollectiveDecree
) -> DecreeDocument:
    """The printable decree: a decree of one case, an employee's extract of a collective
    decree (its number printed, its own verification), or the collective decree itself."""
    agency = session.get(Agency, decree.agency_code)
    office = agency.ppk_office if agency else decree.agency_code
    ppk_title = agency.ppk_title if agency else "Pejabat Pembina Kepegawaian"
    sekda = None
    if agency is not None and agency.ppk_delegation == "sekda":  # "a.n." only where delegated
        try:
            sekda = session.get(Employee, OrgDirectory(session).sekda(decree.agency_code))
        except Unresolvable:
            sekda = None
    if sekda is not None:
        name, nip, title = sekda.name, sekda.nip, f"a.n. {ppk_title} Sekretaris Daerah"
    else:
        name, nip, title = (agency.ppk_name if agency else None) or ppk_title, None, ppk_title
    if isinstance(decree, CollectiveDecree):
        number, rows, cited, extract = (
            decree.number,
            decree.annex["rows"],
            decree.annex["considering"],
            None,
        )
        annex = decree.annex["rows"][0]
    elif decree.collective_number:
        whole = session.get(CollectiveDecree, decree.collective_number)
        number, rows, annex = decree.collective_number, [], decree.annex
        cited = whole.annex["considering"] if whole is not None else []
        extract = {"no": decree.extract_no, "total": decree.annex.get("total", 1)}
    else:
        number, rows, annex, extract = decree.number, [], decree.annex, None
        cited = considering(session, decree.case_id)
    return DecreeDocument(
        number=number,
        office=office,
        ppk_title=ppk_title,
        seat=agency.seat if agency else "",
        decided_on=decree.decided_on,
        tmt=decree.tmt,
        annex=annex,
        signatory_name=name,
        signatory_nip=nip,
        signatory_title=title,
        verify_url=verify_url(settings.public_base_url, decree.number, decree.verification_code),
        key_id=decree.key_id,
        signature=decree.signature,
        status=decree.status,
        considering=cited,
        rows=rows,
        extract=extract,
        coat_of_arms=coat_of_arms(settings, agency),
    )


def coat_of_arms(settings: Settings, agency: Agency | None) -> bytes | None:
    """The agency's coat of arms from the document store (None if unset or unreadable: a
    decree is still printed, without it)."""
    if agency is None or not agency.coat_of_arms:
        return None
    try:
        return store_of(settings).get(agency.coat_of_arms)
    except (DocumentMissing, DocumentCorrupt, ValueError):
        return None


def considering(session: Session, case_id: str) -> list[str]:
    """What the decision rests on, in chain order ("Memperhatikan"): the committee sitting's
    minutes and the letters recorded for outside offices (or the PPK in person)."""
    tasks = session.execute(
        select(ApprovalTask)
        .where(
            col(ApprovalTask.case_id) == case_id,
            col(ApprovalTask.kind).in_([TaskKind.RECORDED, TaskKind.COMMITTEE]),
            col(ApprovalTask.status) == TaskStatus.APPROVED,
        )
        .order_by(col(ApprovalTask.step))
    ).scalars()
    return [
        f"{_evidence_title(t)} Nomor {t.letter_number} tanggal {tanggal(t.letter_date)}"
        for t in tasks
        if t.letter_number and t.letter_date
    ]


def _evidence_title(task: ApprovalTask) -> str:
    if task.kind == TaskKind.COMMITTEE:
        return f"Berita Acara Sidang {task.title}"
    return LETTER_KINDS[OUTSIDE_LETTERS.get(task.role, PPK_LETTER)]


def decree_pdf(session: Session, settings: Settings, decree: Decree | CollectiveDecree) -> bytes:
    """The document of record: the stored bytes of an issued decree (never rendered again);
    a draft awaiting its signature rendered as a draft; a decree from before documents were
    frozen rendered as it always was."""
    doc = session.get(IssuedDocument, decree.number)
    if doc is None:
        return render_decree(decree_document(session, settings, decree))
    store = store_of(settings)
    if doc.state == ISSUED and doc.pdf_sha256:
        return store.get(doc.pdf_sha256)
    return render(store, template_of(session, doc), dated(doc.snapshot, today()))


def issued_verdict(
    record_key: DecreeSigner,
    store: DocumentStore,
    decree: Decree | CollectiveDecree,
    doc: IssuedDocument,
) -> Verification:
    """The verdict on a frozen document: its stored bytes, snapshot and record must be
    exactly what was issued, and the decree row what its signature covers."""
    number = decree.number
    if doc.state != ISSUED:
        return Verification(
            number, "unsigned", "SK ini terdaftar tetapi belum ditandatangani PPK.", decree
        )
    checked = check_document(doc, record_key, store)
    if not checked.intact or not signature_valid(
        record_key.public_key, decree_content(decree), decree.signature
    ):
        reason = checked.reason or "isi SK tidak cocok dengan tanda tangannya"
        return Verification(number, "altered", f"SK telah diubah setelah terbit: {reason}.", decree)
    if decree.status in ("annulled", "revoked"):
        return status_verdict(decree)
    return Verification(
        number,
        "genuine",
        "SK asli dan berlaku: berkas yang tersimpan sama persis dengan yang diterbitkan "
        f"(SHA-256 {doc.pdf_sha256}).",
        decree,
    )


def verify(
    session: Session,
    settings: Settings,
    number: str,
    code: str | None = None,
    *,
    signed_in: bool = False,
) -> Verification:
    """The verdict on a decree. The public (`signed_in=False`) must hold the code printed in
    its QR code: a wrong or missing code is answered exactly like an unknown number."""
    signer = DecreeSigner.from_base64(settings.decree_signing_key)
    decree: Decree | CollectiveDecree | None = session.get(Decree, number) or session.get(
        CollectiveDecree, number
    )
    if decree is not None and not signed_in and not code_matches(decree, code):
        decree = None
    if decree is None:
        return revocation_verdict(session, settings, signer, number, code, signed_in)
    drift = status_drift(session, decree)
    if drift is not None:  # flipped around the application: its own trail says otherwise
        return Verification(number, "altered", f"SK telah diubah setelah terbit: {drift}.", decree)
    doc = session.get(IssuedDocument, decree.number)
    if doc is None:  # issued before documents were frozen
        return verify_decree(signer, decree, number)
    return issued_verdict(signer, store_of(settings), decree, doc)


def revocation_verdict(
    session: Session,
    settings: Settings,
    signer: DecreeSigner,
    number: str,
    code: str | None,
    signed_in: bool,
) -> Verification:
    """A revoking decree (no decree row of its own): its stored bytes and record."""
    doc = session.get(IssuedDocument, number)
    known = doc is not None and doc.kind == "revocation"
    if not known or not (signed_in or _same(doc.verification_code if doc else None, code)):
        return verify_decree(signer, None, number)
    assert doc is not None
    if doc.state != ISSUED:
        return Verification(number, "unsigned", "SK ini terdaftar tetapi belum ditandatangani PPK.")
    checked = check_document(doc, signer, store_of(settings))
    if not checked.intact:
        return Verification(number, "altered", f"SK telah diubah setelah terbit: {checked.reason}.")
    return Verification(
        number,
        "genuine",
        f"SK pembatalan asli: mencabut Keputusan Nomor {doc.snapshot['revoked']['number']} "
        "sepanjang mengenai pegawai yang namanya tercantum di dalamnya.",
    )


def status_verdict(decree: Decree | CollectiveDecree) -> Verification:
    """A genuine decree no longer in force: annulled (its case withdrawn), or revoked by a
    later decree (an upheld objection)."""
    revoked_by = getattr(decree, "revoked_by", None)
    if decree.status == "revoked" and revoked_by:
        return Verification(
            decree.number,
            "revoked",
            f"SK asli, tetapi telah DICABUT dengan Keputusan Nomor {revoked_by}.",
            decree,
        )
    return Verification(
        decree.number,
        "annulled",
        f"SK asli, tetapi telah DIBATALKAN: {decree.annulled_reason or '-'}",
        decree,
    )


def code_matches(decree: Decree | CollectiveDecree, code: str | None) -> bool:
    return _same(decree.verification_code, code)


def _same(expected: str | None, code: str | None) -> bool:
    return (
        bool(code)
        and expected is not None
        and hmac.compare_digest(expected.encode(), (code or "").encode())
    )


def masked_nip(nip: str | None) -> str:
    """Enough to match a printed decree, not enough to identify someone: 19**************04."""
    if not nip:
        return "-"
    return nip[:2] + "*" * max(0, len(nip) - 4) + nip[-2:]


def public_view(result: Verification) -> dict[str, Any]:
    """What anyone holding the decree's number and code may read: validity, dates, name and
    a masked NIP. Posts, units and reasons are for signed-in roles."""
    body: dict[str, Any] = {
        "number": result.number,
        "verdict": result.verdict,
        "message": public_message(result),
    }
    d = result.decree
    if d is not None and result.verdict != "unknown":
        body.update(decided_on=d.decided_on, tmt=d.tmt, status=d.status, key_id=d.key_id)
        if d.status == "revoked":
            body.update(revoked_by=getattr(d, "revoked_by", None))
        if isinstance(d, CollectiveDecree):  # names nobody: says how many it moves
            body.update(employees=len(d.annex["rows"]))
        else:
            body.update(name=d.annex.get("name"), nip=masked_nip(d.annex.get("nip")))
            if d.collective_number:
                body.update(collective_number=d.collective_number, extract_no=d.extract_no)
    return body


def public_message(result: Verification) -> str:
    if result.verdict == "annulled":  # the reason may name others or private matters
        return "SK asli, tetapi telah DIBATALKAN."
    return result.message


def full_view(result: Verification) -> dict[str, Any]:
    """Everything the decree says, for roles allowed to read it."""
    body = public_view(result)
    body["message"] = result.message
    d = result.decree
    if d is not None and result.verdict != "unknown" and not isinstance(d, CollectiveDecree):
        body.update(
            nip=d.annex.get("nip"),
            old_position=d.annex.get("old_position"),
            old_unit=d.annex.get("old_unit"),
            new_position=d.annex.get("new_position"),
            new_unit=d.annex.get("new_unit"),
            annulled_reason=d.annulled_reason,
        )
    return body
