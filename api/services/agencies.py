"""The agency a request names (or a 404 saying which is missing), and the audit event of a
change HR makes to its settings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from api.errors import ProblemError
from contracts.messages import Msg
from models import Agency
from mutasi.audit import chain as audit


def agency_or_404(session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.agency_code_not_found", params={"code": str(code)}),
        )
    return agency


def audit_agency_change(
    session: Session, agency_code: str, actor: str, action: str, what: str, old: Any, new: Any
) -> None:
    """`action` on the agency by HR, in the caller's transaction (`what` names the key)."""
    now = datetime.now(UTC)
    audit.append(
        session,
        audit.AuditInput(
            key=f"agency/{agency_code}/{what}/{now.isoformat()}",
            agency_code=agency_code,
            at=now,
            actor=actor,
            role="hr_admin",
            action=action,
            subject_type="agency",
            subject_id=agency_code,
            old=old,
            new=new,
        ),
    )
