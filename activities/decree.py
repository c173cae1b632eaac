"""The decree (numbered, signed, anchored) and, at TMT, the move in the records."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_writer import (
    CaseWriter,
    sql_of,
)
from activities.common import activity_key, calling_workflow_id
from activities.decree_documents import DecreeDocuments, awaiting, cited_for
from contracts.case import (
    CollectiveIssued,
    CollectiveRequest,
    DecreeIssued,
    DecreeNotice,
    DecreeRequest,
    ExtractDelivery,
    TransferApply,
)
from contracts.enums import Stage
from contracts.messages import Msg
from models import (
    CollectiveDecree,
    Decree,
    Employee,
    MutationCase,
    PositionHistory,
)
from mutasi.audit import chain as audit
from mutasi.audit.anchor import checkpoint_head
from mutasi.decree.collective import collective_rows, extract_number, waiting_cases
from mutasi.decree.frozen import UNSIGNED
from mutasi.decree.numbers import annex_row, next_number
from mutasi.decree.signing import signed_content
from mutasi.infra.db import as_utc, insert_ignoring_conflict, must
from mutasi.org.embargo import blocking_window, refusal


class DecreeActivities(CaseWriter, DecreeDocuments):
    # -- decree and effective date ----------------------------------------------------
    @activity.defn
    def issue_decree(self, req: DecreeRequest) -> DecreeIssued:
        with Session(self.engine) as s:
            existing = s.execute(
                select(
                    col(Decree.number),
                    col(Decree.tmt),
                    col(Decree.agency_code),
                    col(Decree.chain_seq),
                    col(Decree.chain_hash),
                ).where(col(Decree.case_id) == req.case_id)
            ).first()
        if existing is not None:
            # A retry after the commit: the checkpoint and the signature may be missing. (The
            # read's session is closed first: on SQLite it holds the writer's turn, which
            # the signature's own transaction needs.)
            self._anchor(existing.agency_code, (existing.chain_seq, existing.chain_hash))
            self._sign_drafts(self.engine, [existing.number], req.at)
            with Session(self.engine) as s:
                return DecreeIssued(
                    number=existing.number,
                    tmt=existing.tmt,
                    awaiting_signature=awaiting(s, [existing.number]),
                )
        with Session(self.engine) as s:
            case = self._case_of(s, req.case_id, req.case)
            window = blocking_window(s, case.agency_code, req.decided_on)
            if window is not None:  # retried (the policy's back-off) until approved or over
                if self._entering_decree(s, case, req):
                    # Approved, waiting for the decree: the case shows it while it waits.
                    sql_of(s).execute(
                        update(MutationCase)
                        .where(col(MutationCase.id) == case.id)
                        .values(stage=Stage.DECREE, updated_at=as_utc(req.at))
                    )
                    s.commit()
                raise ApplicationError(
                    refusal(window), {"embargo_window": window.id}, type="EmbargoActive"
                )
            cited = cited_for(s, case.agency_code, [case.id], req.decided_on)
            year = req.decided_on.year
            seq, number = next_number(s, case.agency_code, year)
            annex = annex_row(s, case, req.tmt)
            code = secrets.token_urlsafe(12)
            self._draft(
                s,
                kind="decree",
                number=number,
                agency_code=case.agency_code,
                decided_on=req.decided_on,
                tmt=req.tmt,
                rows=[annex],
                cases=[case.id],
                code=code,
                cited=cited,
            )
            signed_here = self._issuer().method == "pades"
            entered = self._entering_decree(s, case, req)
            # The decree's own event next: the chain head after it is signed with the decree.
            self._audit(
                s,
                case,
                req.at,
                "decree.issued",
                subject_type="decree",
                subject_id=number,
                new={
                    "number": number,
                    "tmt": req.tmt.isoformat(),
                    "decided_on": req.decided_on.isoformat(),
                    "status": "issued" if signed_here else UNSIGNED,
                },
            )
            # Sealed first: the head the decree signs covers the case's events, its own too.
            chain = audit.sealed_head(s, case.agency_code)
            self._store_decree(
                s,
                case,
                Decree(
                    number=number,
                    case_id=case.id,
                    agency_code=case.agency_code,
                    year=year,
                    sequence=seq,
                    decided_on=req.decided_on,
                    tmt=req.tmt,
                    annex=annex,
                    status="issued" if signed_here else UNSIGNED,
                ),
                chain,
                Msg(
                    code="notice.decree_issued",
                    params={"number": number, "tmt": req.tmt.isoformat()},
                )
                if signed_here
                else Msg(code="notice.decree_awaiting_signature", params={"number": number}),
                req.at,
                code=code,
                **(
                    self._awaiting_tmt(s, case, req, number)
                    if signed_here
                    else ({"stage": Stage.DECREE, "updated_at": as_utc(req.at)} if entered else {})
                ),
            )
            s.commit()
        self._anchor(case.agency_code, chain)
        self._sign_drafts(self.engine, [number], req.at)
        return DecreeIssued(number=number, tmt=req.tmt, awaiting_signature=not signed_here)

    def _entering_decree(self, s: Session, case: Any, req: DecreeRequest) -> bool:
        """The stage change to `decree`, when the workflow asked for it: its audit event
        (written once, however often an embargo makes the activity retry)."""
        if req.previous is None:
            return False
        self._audit(
            s,
            case,
            req.at,
            "case.decree",
            old={"stage": req.previous},
            new={"stage": Stage.DECREE},
            suffix="/stage/decree",
        )
        return True

    def _awaiting_tmt(
        self, s: Session, case: Any, req: DecreeRequest, number: str
    ) -> dict[str, Any]:
        """The stage change after the decree, when the workflow asked for it: its audit
        event, and the case's columns that change with it."""
        if req.previous is None:
            return {}
        self._audit(
            s,
            case,
            req.at,
            "case.awaiting_tmt",
            old={"stage": Stage.DECREE},
            new={"stage": Stage.AWAITING_TMT, "decree": number, "tmt": req.tmt.isoformat()},
            suffix="/stage/awaiting_tmt",
        )
        return {"stage": Stage.AWAITING_TMT, "updated_at": as_utc(req.at)}

    @activity.defn
    def issue_collective_decree(self, req: CollectiveRequest) -> CollectiveIssued:
        """One decree for the batch's cases still waiting for one, an extract each; issued
        once per batch (a retry after the commit answers from what was stored)."""
        with Session(self.engine) as s:
            done = s.execute(
                select(CollectiveDecree).where(col(CollectiveDecree.batch_id) == req.batch_id)
            ).scalar_one_or_none()
            numbers = _numbers_of(s, done.number) if done is not None else []
            chain = (done.chain_seq, done.chain_hash) if done is not None else (None, None)
        if done is not None:  # a retry after the commit (see issue_decree: session closed)
            self._anchor(req.agency_code, chain)
            self._sign_drafts(self.engine, numbers, req.at)
            with Session(self.engine) as s:
                again = must(s.get(CollectiveDecree, numbers[0]), f"SK {numbers[0]}")
                return _issued(s, again, req.case_ids)
        with Session(self.engine) as s:
            window = blocking_window(s, req.agency_code, req.decided_on)
            if window is not None:  # retried (the policy's back-off) until approved or over
                raise ApplicationError(
                    refusal(window), {"embargo_window": window.id}, type="EmbargoActive"
                )
            cases = waiting_cases(s, req.agency_code, req.case_ids)
            if not cases:
                raise ApplicationError(
                    "tidak ada kasus yang menunggu SK dalam batch ini",
                    type="NothingToDecree",
                    non_retryable=True,
                )
            case_ids = [c.id for c in cases]
            cited = cited_for(s, req.agency_code, case_ids, req.decided_on)
            year = req.decided_on.year
            seq, number = next_number(s, req.agency_code, year)
            annex: dict[str, Any] = {
                "rows": collective_rows(s, cases, req.tmt),
                "considering": [c.text for c in cited],
            }
            code = secrets.token_urlsafe(12)
            codes = {case.id: secrets.token_urlsafe(12) for case in cases}
            drafted = [
                self._draft(
                    s,
                    kind="collective",
                    number=number,
                    agency_code=req.agency_code,
                    decided_on=req.decided_on,
                    tmt=req.tmt,
                    rows=annex["rows"],
                    cases=case_ids,
                    code=code,
                    cited=cited,
                ).number
            ]
            for row, case in zip(annex["rows"], cases, strict=True):
                drafted.append(
                    self._draft(
                        s,
                        kind="extract",
                        number=number,
                        verified_number=extract_number(number, row["no"]),
                        agency_code=req.agency_code,
                        decided_on=req.decided_on,
                        tmt=req.tmt,
                        rows=[row],
                        cases=[case.id],
                        code=codes[case.id],
                        cited=cited,
                        extract={"no": row["no"], "total": len(cases)},
                    ).number
                )
            status = "issued" if self._issuer().method == "pades" else UNSIGNED
            audit.append(
                s,
                audit.AuditInput(
                    key=activity_key("/collective"),
                    agency_code=req.agency_code,
                    at=as_utc(req.at),
                    actor=req.actor,
                    role="hr_admin",
                    action="decree.collective_issued",
                    subject_type="decree",
                    subject_id=number,
                    new={
                        "number": number,
                        "cases": [c.id for c in cases],
                        "decided_on": req.decided_on.isoformat(),
                        "tmt": req.tmt.isoformat(),
                        "status": status,
                    },
                    workflow_id=calling_workflow_id(),
                    run_id=activity.info().workflow_run_id,
                ),
            )
            for row, case in zip(annex["rows"], cases, strict=True):
                extract = extract_number(number, row["no"])
                self._audit(
                    s,
                    case,
                    req.at,
                    "decree.issued",
                    actor=req.actor,
                    role="hr_admin",
                    subject_type="decree",
                    subject_id=extract,
                    new={
                        "number": extract,
                        "collective": number,
                        "tmt": req.tmt.isoformat(),
                        "status": status,
                    },
                    suffix=f"/{case.id}",
                )
            chain = audit.sealed_head(s, req.agency_code)
            s.add(
                CollectiveDecree(
                    number=number,
                    batch_id=req.batch_id,
                    agency_code=req.agency_code,
                    year=year,
                    sequence=seq,
                    decided_on=req.decided_on,
                    tmt=req.tmt,
                    annex=annex,
                    signature=self.signer.sign(
                        signed_content(
                            number, "", req.agency_code, req.decided_on, req.tmt, annex, chain
                        )
                    ),
                    key_id=self.signer.key_id,
                    verification_code=code,
                    chain_seq=chain[0],
                    chain_hash=chain[1],
                    issued_by=req.actor,
                    created_at=as_utc(req.at),
                    status=status,
                )
            )
            for row, case in zip(annex["rows"], cases, strict=True):
                extract = extract_number(number, row["no"])
                self._store_decree(
                    s,
                    case,
                    Decree(
                        number=extract,
                        case_id=case.id,
                        agency_code=req.agency_code,
                        year=year,
                        sequence=seq,
                        extract_no=row["no"],
                        collective_number=number,
                        decided_on=req.decided_on,
                        tmt=req.tmt,
                        annex={**row, "collective": number, "total": len(cases)},
                        status=status,
                    ),
                    chain,
                    Msg(
                        code="notice.extract_issued",
                        params={"number": number, "extract": extract, "tmt": req.tmt.isoformat()},
                    ),
                    req.at,
                    f"/{case.id}",
                    code=codes[case.id],
                )
            s.commit()
            self._anchor(req.agency_code, chain)
        self._sign_drafts(self.engine, drafted, req.at)
        with Session(self.engine) as s:
            decree = must(s.get(CollectiveDecree, number), f"SK {number}")
            return _issued(s, decree, req.case_ids)

    def _store_decree(
        self,
        s: Session,
        case: Any,
        decree: Decree,
        chain: tuple[int, str],
        message: Msg,
        at: datetime,
        suffix: str = "",
        code: str | None = None,
        **case_values: Any,
    ) -> None:
        """A decree (or an extract) signed with the chain head, stored, its TMT (and any
        `case_values`) on the case, and its holder told."""
        decree.signature = self.signer.sign(
            signed_content(
                decree.number,
                decree.case_id,
                decree.agency_code,
                decree.decided_on,
                decree.tmt,
                decree.annex,
                chain,
            )
        )
        decree.key_id = self.signer.key_id
        decree.verification_code = code or secrets.token_urlsafe(12)
        decree.chain_seq, decree.chain_hash = chain
        s.add(decree)
        sql_of(s).execute(
            update(MutationCase)
            .where(col(MutationCase.id) == case.id)
            .values(tmt=decree.tmt, **case_values)
        )
        self._notify(s, case.nip, case.id, "decree", message, at, suffix)

    def _anchor(self, agency_code: str, chain: tuple[int | None, str | None]) -> None:
        """A signed checkpoint, in the file store, of the chain head the decree signed.
        An unwritable store is logged, not fatal: the decree's own signature already covers
        the chain head, and the scheduled checkpoint will try again."""
        seq, digest = chain
        if self.checkpoints is None or seq is None or digest is None:
            return
        try:
            checkpoint_head(self.signer, self.checkpoints, agency_code, (seq, digest))
        except OSError as exc:
            activity.logger.error(
                "checkpoint audit %s tidak tertulis di %s: %s",
                agency_code,
                self.checkpoints.folder,
                exc,
            )

    @activity.defn
    def apply_transfer(self, req: TransferApply) -> None:
        """On TMT: the employee takes the new post; history gains the new row."""
        with self.writing(req.case_id, req.case) as (s, case):
            # The decree and the person's current post, in one statement.
            decree = (
                sql_of(s)
                .execute(
                    select(
                        col(Decree.number),
                        col(Decree.collective_number),
                        col(Decree.tmt),
                        col(Decree.applied_at),
                        col(Employee.position_code),
                        col(Employee.position_tmt),
                    )
                    .join(Employee, col(Employee.nip) == case.nip, isouter=True)
                    .where(col(Decree.case_id) == case.id)
                )
                .one()
            )
            if decree.applied_at is not None:
                return
            must(decree.position_code, f"pegawai {case.nip}")
            old = {"position": decree.position_code, "tmt": decree.position_tmt.isoformat()}
            sql_of(s).execute(
                update(PositionHistory)
                .where(
                    col(PositionHistory.nip) == case.nip,
                    col(PositionHistory.tmt_end).is_(None),
                    col(PositionHistory.tmt_start) < decree.tmt,
                )
                .values(tmt_end=decree.tmt - timedelta(days=1))
            )
            sql_of(s).execute(
                insert_ignoring_conflict(sql_of(s), PositionHistory),
                dict(
                    nip=case.nip,
                    tmt_start=decree.tmt,
                    position_code=case.destination_position,
                    # A collective decree's number, and the person's own extract beside it.
                    decree_number=decree.collective_number or decree.number,
                    extract_number=decree.number if decree.collective_number else None,
                ),
            )
            sql_of(s).execute(
                update(Employee)
                .where(col(Employee.nip) == case.nip)
                .values(position_code=case.destination_position, position_tmt=decree.tmt)
            )
            sql_of(s).execute(
                update(Decree)
                .where(col(Decree.number) == decree.number)
                .values(applied_at=as_utc(req.at))
            )
            self._audit(
                s,
                case,
                req.at,
                "employee.moved",
                subject_type="employee",
                subject_id=case.nip,
                old=old,
                new={
                    "position": case.destination_position,
                    "tmt": decree.tmt.isoformat(),
                    "decree": decree.number,
                },
            )


def _numbers_of(s: Session, collective: str) -> list[str]:
    """The collective decree's number and its extracts' numbers."""
    extracts = s.execute(
        select(col(Decree.number)).where(col(Decree.collective_number) == collective)
    ).scalars()
    return [collective, *extracts]


def _issued(s: Session, decree: CollectiveDecree, asked: list[str]) -> CollectiveIssued:
    if awaiting(s, [decree.number]):  # delivered by DecreeSigningWorkflow once signed
        return CollectiveIssued(number=decree.number, awaiting_signature=True)
    extracts = s.execute(
        select(Decree, col(MutationCase.workflow_id))
        .join(MutationCase, col(MutationCase.id) == col(Decree.case_id))
        .where(col(Decree.collective_number) == decree.number)
        .order_by(col(Decree.extract_no))
    ).all()
    delivered = {e.case_id for e, _ in extracts}
    return CollectiveIssued(
        number=decree.number,
        deliveries=[
            ExtractDelivery(
                workflow_id=workflow_id,
                notice=DecreeNotice(
                    extract_number=e.number, collective_number=decree.number, tmt=e.tmt
                ),
            )
            for e, workflow_id in extracts
        ],
        skipped=[case_id for case_id in asked if case_id not in delivered],
    )
