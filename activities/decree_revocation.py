"""Revoking a decree as far as one employee is concerned (an upheld objection): a revoking
decree drafted and signed through the same path as any decree, then, once signed, the
original marked revoked and a move already made reversed in the records, each audited.
Idempotent: the original names its revoking decree as soon as that is drafted."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_writer import CaseWriter, sql_of
from activities.common import activity_key, calling_workflow_id
from activities.decree_documents import DecreeDocuments, awaiting, refused
from contracts.case import RevocationApply, RevocationIssued, RevocationRequest
from models import Decree, Employee, IssuedDocument, MutationCase, PositionHistory
from mutasi.audit import chain as audit
from mutasi.decree.frozen import ISSUED
from mutasi.decree.numbers import next_number
from mutasi.decree.pdf import verify_url
from mutasi.decree.profile import PP_UPAYA_ADMINISTRATIF
from mutasi.decree.snapshot import Cited, SnapshotInput, build_snapshot
from mutasi.decree.templates import current_template
from mutasi.infra.db import as_utc, must
from planning.calendar import date_text


class DecreeRevocationActivities(CaseWriter, DecreeDocuments):
    @activity.defn
    def issue_revocation(self, req: RevocationRequest) -> RevocationIssued:
        with Session(self.engine) as s:
            original = s.get(Decree, req.number)
            signed = s.get(IssuedDocument, req.number) if original is not None else None
            never_signed = signed is not None and signed.signed_at is None
            if original is None or original.status == "unsigned" or never_signed:
                # A draft nobody signed is annulled with its case; there is nothing to revoke.
                raise refused(f"SK {req.number} tidak dapat dicabut", "DecreeNotFound")
            if original.revoked_by is None:
                self._draft_revocation(s, original, req)
                s.commit()
            number = must(original.revoked_by, "nomor SK pencabutan")
        self._sign_drafts(self.engine, [number], req.at)
        with Session(self.engine) as s:
            return RevocationIssued(number=number, awaiting_signature=awaiting(s, [number]))

    def _draft_revocation(self, s: Session, original: Decree, req: RevocationRequest) -> None:
        issuer = self._issuer()
        seq, number = next_number(s, original.agency_code, req.decided_on.year)
        revoked = original.collective_number or original.number
        code = secrets.token_urlsafe(12)
        objection = req.cause == "objection"
        letter = f" Nomor {req.letter_number}" if req.letter_number else ""
        cited = [
            Cited(
                text=f"Keputusan atas keberatan Saudara {original.annex.get('name')}{letter} "
                f"tanggal {date_text(req.decided_on)}",
                dated=req.decided_on,
            )
        ]
        if not objection:  # a withdrawal rests on the reason it gives, not on a letter
            cited = []
        snapshot = build_snapshot(
            s,
            SnapshotInput(
                kind="revocation",
                number=number,
                agency_code=original.agency_code,
                decided_on=req.decided_on,
                tmt=req.decided_on,
                rows=[{**original.annex, "no": 1}],
                cases=[original.case_id],
                method=issuer.method,
                verify_url=verify_url(issuer.base_url, number, code),
                certificate=getattr(issuer.signer, "subject", ""),
                cited=cited,
            ),
        )
        if objection:
            snapshot["mengingat"] = [*snapshot["mengingat"], PP_UPAYA_ADMINISTRATIF]
        snapshot["cause"] = req.cause
        snapshot["revoked"] = {
            "number": revoked,
            "decree": original.number,
            "decided_on_text": date_text(original.decided_on),
        }
        snapshot["reason"] = req.reason
        doc = issuer.draft(
            number=number,
            kind="revocation",
            snapshot=snapshot,
            template=current_template(s, original.agency_code, "revocation"),
        )
        doc.verification_code = code
        s.add(doc)
        original.revoked_by = number
        s.add(original)
        self._revocation_audit(
            s,
            original,
            req.at,
            req.actor,
            "decree.revocation_drafted",
            {"revocation": number, "sequence": seq},
        )

    @activity.defn
    def apply_revocation(self, req: RevocationApply) -> None:
        with Session(self.engine) as s:
            doc = s.get(IssuedDocument, req.number)
            if doc is None or doc.state != ISSUED:
                raise ApplicationError(f"SK pencabutan {req.number} belum ditandatangani")
            original = must(s.get(Decree, doc.snapshot["revoked"]["decree"]), "SK yang dicabut")
            if original.status == "revoked":
                return
            revoked_on = date.fromisoformat(doc.snapshot["decided_on"])
            if original.applied_at is not None:
                self._reverse_move(s, original, req.number, revoked_on, req)
            old_status = original.status
            original.status = "revoked"
            s.add(original)
            self._revocation_audit(
                s,
                original,
                req.at,
                "sistem",
                "decree.revoked",
                {"status": "revoked", "revoked_by": req.number},
                {"status": old_status},
            )
            s.commit()

    def _reverse_move(
        self, s: Session, original: Decree, number: str, on: date, req: RevocationApply
    ) -> None:
        """The person back in the post the revoked decree moved them from, from the day of
        the revoking decree; the history keeps both rows."""
        case = must(s.get(MutationCase, original.case_id), f"kasus {original.case_id}")
        person = must(s.get(Employee, case.nip), f"pegawai {case.nip}")
        current = s.execute(
            select(PositionHistory).where(
                col(PositionHistory.nip) == case.nip, col(PositionHistory.tmt_end).is_(None)
            )
        ).scalar_one_or_none()
        if current is not None and current.tmt_start == on:  # moved and revoked the same day
            current.position_code, current.decree_number = case.origin_position, number
            current.extract_number = None
            s.add(current)
        else:
            sql_of(s).execute(
                update(PositionHistory)
                .where(
                    col(PositionHistory.nip) == case.nip,
                    col(PositionHistory.tmt_end).is_(None),
                    col(PositionHistory.tmt_start) < on,
                )
                .values(tmt_end=on - timedelta(days=1))
            )
            s.add(
                PositionHistory(
                    nip=case.nip,
                    tmt_start=on,
                    position_code=case.origin_position,
                    decree_number=number,
                )
            )
        old = {"position": person.position_code, "tmt": person.position_tmt.isoformat()}
        person.position_code, person.position_tmt = case.origin_position, on
        s.add(person)
        self._revocation_audit(
            s,
            original,
            req.at,
            "sistem",
            "employee.move_reversed",
            {"position": case.origin_position, "tmt": on.isoformat(), "decree": number},
            old,
            subject=("employee", case.nip),
        )

    def _revocation_audit(
        self,
        s: Session,
        original: Decree,
        at: datetime,
        actor: str,
        action: str,
        new: dict[str, Any],
        old: dict[str, Any] | None = None,
        subject: tuple[str, str] | None = None,
    ) -> None:
        kind, key = subject or ("decree", original.number)
        audit.append(
            s,
            audit.AuditInput(
                key=activity_key(f"/{action}"),
                agency_code=original.agency_code,
                at=as_utc(at),
                actor=actor,
                role="system" if actor == "sistem" else "hr_admin",
                action=action,
                subject_type=kind,
                subject_id=key,
                old=old,
                new=new,
                workflow_id=calling_workflow_id(),
                run_id=activity.info().workflow_run_id,
            ),
        )
