"""The document side of issuing a decree, shared by the individual and the collective
decree: the letters it cites (never dated after it), its snapshot and draft, and its
signature where the PPK signs with a certificate held here (PAdES)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col
from temporalio.exceptions import ApplicationError

from models import Agency, IssuedDocument
from mutasi.decree.document_signers import SigningRefused, SigningUnavailable
from mutasi.decree.frozen import AWAITING, Issuer, render, template_of
from mutasi.decree.pdf import verify_url
from mutasi.decree.snapshot import (
    Cited,
    MixedBatch,
    SnapshotInput,
    build_snapshot,
    cited_letters,
    embargo_approval,
)
from mutasi.decree.templates import current_template
from mutasi.infra.db import as_utc


def refused(message: str, kind: str) -> ApplicationError:
    """A refusal that retrying cannot change: the workflow (and the person) hears it at once."""
    return ApplicationError(message, type=kind, non_retryable=True)


def issuer_from_settings() -> Issuer:
    from mutasi.decree.issuer_setup import issuer_of
    from mutasi.infra.settings import get_settings

    return issuer_of(get_settings())


def cited_for(s: Session, agency_code: str, case_ids: list[str], decided_on: date) -> list[Cited]:
    """The letters a decree cites, and the Minister's approval where it falls inside an
    embargo; none may be dated after the decree."""
    agency = s.get(Agency, agency_code)
    cited = cited_letters(s, case_ids, agency.province if agency else "")
    approval = embargo_approval(s, agency_code, decided_on)
    if approval is not None:
        cited.append(approval)
    later = [c.text for c in cited if c.dated > decided_on]
    if later:
        raise ApplicationError(
            f"SK bertanggal {decided_on.isoformat()} tidak boleh mendahului surat yang "
            f"dikutipnya: {'; '.join(later)}",
            type="DecreeBeforeEvidence",
        )
    return cited


class DecreeDocuments:
    """Mixed into the decree activities: `issuer` comes from the worker's settings."""

    issuer: Issuer | None

    def _issuer(self) -> Issuer:
        if self.issuer is None:
            self.issuer = issuer_from_settings()
        return self.issuer

    def _draft(
        self,
        s: Session,
        *,
        kind: str,
        number: str,
        agency_code: str,
        decided_on: date,
        tmt: date,
        rows: list[dict[str, Any]],
        cases: list[str],
        code: str,
        cited: list[Cited],
        extract: dict[str, int] | None = None,
        verified_number: str | None = None,
    ) -> IssuedDocument:
        issuer = self._issuer()
        if tmt < decided_on:
            raise refused(
                f"TMT {tmt.isoformat()} tidak boleh sebelum tanggal SK {decided_on.isoformat()}",
                "TmtBeforeDecree",
            )
        try:
            snapshot = build_snapshot(
                s,
                SnapshotInput(
                    kind=kind,
                    number=number,
                    agency_code=agency_code,
                    decided_on=decided_on,
                    tmt=tmt,
                    rows=rows,
                    cases=cases,
                    method=issuer.method,
                    verify_url=verify_url(issuer.base_url, verified_number or number, code),
                    certificate=getattr(issuer.signer, "subject", ""),
                    extract=extract,
                    cited=cited,
                ),
            )
        except MixedBatch as exc:
            raise refused(str(exc), "MixedBatch") from exc
        doc = issuer.draft(
            number=verified_number or number,
            kind=kind,
            snapshot=snapshot,
            template=current_template(s, agency_code, "decree"),
        )
        s.add(doc)
        return doc

    def _sign_drafts(self, engine: Any, numbers: list[str], at: datetime) -> None:
        """Sign (PAdES) and seal the drafts among `numbers` still awaiting it; outside the
        numbering transaction, so the writer's lock is not held while rendering. Idempotent:
        a retry finds them sealed. Extracts are sealed as certified copies."""
        issuer = self._issuer()
        if issuer.method != "pades":
            return
        for number in numbers:
            with Session(engine) as s:
                doc = s.get(IssuedDocument, number)
                if doc is None or doc.state != AWAITING:
                    continue
                template = template_of(s, doc)
                try:
                    if doc.kind == "extract":
                        issuer.seal(doc, render(issuer.store, template, doc.snapshot), as_utc(at))
                    else:
                        issuer.sign_electronically(doc, template, as_utc(at))
                except SigningUnavailable as exc:
                    raise ApplicationError(str(exc), type="SigningUnavailable") from exc
                except SigningRefused as exc:
                    raise ApplicationError(str(exc), type="SigningRefused") from exc
                s.add(doc)
                s.commit()


def awaiting(s: Session, numbers: list[str]) -> bool:
    return (
        s.execute(
            select(col(IssuedDocument.number)).where(
                col(IssuedDocument.number).in_(numbers),
                col(IssuedDocument.state) == AWAITING,
                col(IssuedDocument.kind) != "extract",
            )
        ).first()
        is not None
    )
