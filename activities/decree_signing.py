"""The PPK's signature on a drafted decree (remote service or hand-signed scan): dated the
day it is signed, checked against the embargo and the TMT, sealed with its extracts, and
delivered to its cases by DecreeSigningWorkflow. Idempotent: a signed decree answers with
its deliveries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_writer import CaseWriter
from activities.common import activity_key, calling_workflow_id
from activities.decree_documents import DecreeDocuments, refused
from contracts.case import DecreeNotice, ExtractDelivery, SignatureDone, SignatureInput
from contracts.ids import revocation_workflow_id
from models import CollectiveDecree, Decree, IssuedDocument, MutationCase
from mutasi.audit import chain as audit
from mutasi.decree.document_signers import SigningRefused, SigningUnavailable
from mutasi.decree.frozen import AWAITING, UNSIGNED, dated, render, template_of
from mutasi.decree.sealed import SealExpired, unseal
from mutasi.decree.signing import decree_content
from mutasi.decree.templates import DecreeTemplate
from mutasi.infra.clock import today
from mutasi.infra.db import as_utc, must
from mutasi.org.embargo import blocking_window, refusal


class DecreeSigningActivities(CaseWriter, DecreeDocuments):
    @activity.defn
    def complete_signature(self, inp: SignatureInput) -> SignatureDone:
        with Session(self.engine) as s:
            doc = s.get(IssuedDocument, inp.number)
            if doc is None or doc.kind not in ("decree", "collective", "revocation"):
                raise refused(f"SK {inp.number} tidak menunggu tanda tangan", "DecreeNotFound")
            if doc.state == AWAITING:
                if doc.kind == "decree" and _annulled(s, doc.number):
                    raise refused(
                        f"SK {doc.number} dibatalkan sebelum ditandatangani", "DecreeAnnulled"
                    )
                self._sign(s, doc, inp)
                s.commit()
            return SignatureDone(number=inp.number, deliveries=_deliveries(s, doc))

    def _sign(self, s: Session, doc: IssuedDocument, inp: SignatureInput) -> None:
        issuer = self._issuer()
        if doc.method == "wet":
            if not inp.scan_sha256 or doc.draft_dated is None:
                raise refused("unggah pindaian SK yang ditandatangani", "ScanMissing")
            signed_on = doc.draft_dated
        else:
            signed_on = today()
        window = blocking_window(s, doc.agency_code, signed_on)
        if window is not None:
            raise ApplicationError(refusal(window), type="EmbargoActive")
        tmt = date.fromisoformat(doc.snapshot["tmt"])
        if tmt < signed_on:
            raise refused(
                f"TMT {tmt.isoformat()} sudah lewat pada tanggal penandatanganan "
                f"{signed_on.isoformat()}: SK perlu TMT baru",
                "TmtBeforeDecree",
            )
        doc.snapshot = dated(doc.snapshot, signed_on)
        template = template_of(s, doc)
        at = as_utc(inp.at)
        try:
            if doc.method == "wet":
                issuer.seal(doc, issuer.store.get(inp.scan_sha256), at)
            else:
                passphrase = unseal(self._secret(), inp.sealed_passphrase)
                issuer.sign_electronically(doc, template, at, nik=inp.nik, passphrase=passphrase)
        except (SigningRefused, SealExpired) as exc:
            raise refused(str(exc), "SigningRefused") from exc
        except SigningUnavailable as exc:  # the decree waits; Temporal retries with back-off
            raise ApplicationError(str(exc), type="SigningUnavailable") from exc
        s.add(doc)
        self._redate(s, doc, signed_on, template, at)
        audit.append(
            s,
            audit.AuditInput(
                key=activity_key("/signed"),
                agency_code=doc.agency_code,
                at=at,
                actor=inp.actor,
                role="hr_admin",
                action="decree.signed",
                subject_type="decree",
                subject_id=doc.number,
                new={
                    "method": doc.method,
                    "decided_on": signed_on.isoformat(),
                    "pdf": doc.pdf_sha256,
                },
                workflow_id=calling_workflow_id(),
                run_id=activity.info().workflow_run_id,
            ),
        )

    def _redate(
        self, s: Session, doc: IssuedDocument, on: date, template: DecreeTemplate, at: datetime
    ) -> None:
        """The decree rows (and the extracts) take the signing date; their records are
        signed again over it, and the extracts sealed as certified copies."""
        issuer = self._issuer()
        rows: list[Decree | CollectiveDecree] = []
        if doc.kind == "collective":
            rows.append(must(s.get(CollectiveDecree, doc.number), f"SK {doc.number}"))
            extracts = list(
                s.execute(
                    select(Decree).where(col(Decree.collective_number) == doc.number)
                ).scalars()
            )
            rows += extracts
            for extract in extracts:
                copy = s.get(IssuedDocument, extract.number)
                if copy is not None and copy.state == AWAITING:
                    copy.snapshot = dated(copy.snapshot, on)
                    issuer.seal(copy, render(issuer.store, template, copy.snapshot), at)
                    s.add(copy)
        elif doc.kind == "decree":
            rows.append(must(s.get(Decree, doc.number), f"SK {doc.number}"))
        for row in rows:
            row.decided_on = on
            row.signature = self.signer.sign(decree_content(row))
            if row.status == UNSIGNED:  # one annulled meanwhile (its case withdrawn) stays so
                row.status = "issued"
            s.add(row)

    def _secret(self) -> str:
        from mutasi.infra.settings import get_settings

        return get_settings().jwt_secret


def _annulled(s: Session, number: str) -> bool:
    decree = s.get(Decree, number)
    return decree is not None and decree.status == "annulled"


def _deliveries(s: Session, doc: IssuedDocument) -> list[ExtractDelivery]:
    if doc.kind == "revocation":  # its own workflow waits to apply it
        on = date.fromisoformat(doc.snapshot["decided_on"])
        notice = DecreeNotice(extract_number=doc.number, collective_number=doc.number, tmt=on)
        return [
            ExtractDelivery(
                workflow_id=revocation_workflow_id(doc.snapshot["revoked"]["decree"]), notice=notice
            )
        ]
    query = (
        select(Decree, col(MutationCase.workflow_id))
        .join(MutationCase, col(MutationCase.id) == col(Decree.case_id))
        .where(
            (col(Decree.collective_number) == doc.number)
            if doc.kind == "collective"
            else (col(Decree.number) == doc.number)
        )
        .order_by(col(Decree.extract_no))
    )
    return [
        ExtractDelivery(
            workflow_id=wf,
            notice=DecreeNotice(
                extract_number=d.number,
                collective_number=d.collective_number or d.number,
                tmt=d.tmt,
            ),
        )
        for d, wf in s.execute(query).all()
    ]
