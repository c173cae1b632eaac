"""A decree read from the database: its PDF document and its public verification."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Agency, Decree, Employee
from mutasi.decree_pdf import DecreeDocument, render_decree, verify_url
from mutasi.decree_signing import DecreeSigner, Verification, verify_decree
from mutasi.org_directory import OrgDirectory, Unresolvable
from mutasi.settings import Settings


def decree_document(session: Session, settings: Settings, decree: Decree) -> DecreeDocument:
    agency = session.get(Agency, decree.agency_code)
    office = agency.ppk_office if agency else decree.agency_code
    ppk_title = agency.ppk_title if agency else "Pejabat Pembina Kepegawaian"
    try:  # the Sekda signs on the PPK's behalf
        sekda = session.get(Employee, OrgDirectory(session).sekda(decree.agency_code))
    except Unresolvable:
        sekda = None
    return DecreeDocument(
        number=decree.number, office=office, ppk_title=ppk_title, seat=agency.seat if agency else "",
        decided_on=decree.decided_on, tmt=decree.tmt, annex=decree.annex,
        signatory_name=sekda.name if sekda else ppk_title, signatory_nip=sekda.nip if sekda else None,
        signatory_title=f"a.n. {ppk_title} Sekretaris Daerah" if sekda else ppk_title,
        verify_url=verify_url(settings.public_base_url, decree.number), key_id=decree.key_id,
        signature=decree.signature, status=decree.status)


def decree_pdf(session: Session, settings: Settings, decree: Decree) -> bytes:
    return render_decree(decree_document(session, settings, decree))


def verify(session: Session, settings: Settings, number: str) -> Verification:
    signer = DecreeSigner.from_base64(settings.decree_signing_key)
    return verify_decree(signer, session.get(Decree, number), number)
