"""What HR's legal-process desk shows for one agency: documents to verify, acts to record
from letters, cases waiting for a committee sitting or a collective decree, sittings and
decrees already made, and SPMTs still owed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api.errors import ProblemError
from api.queries import employee_name
from api.services.committee import committee_or_422, committee_out, pending_out
from api.services.decree_batches import pending_decree_cases
from contracts.chain import OUTSIDE_LETTERS
from contracts.enums import Stage, TaskKind, TaskStatus
from models import (
    ApprovalTask,
    CaseDocument,
    CollectiveDecree,
    CommitteeSitting,
    IssuedDocument,
    MutationCase,
)
from mutasi.decree.frozen import AWAITING
from mutasi.dossier.checklist import LETTER_KINDS, PPK_LETTER
from mutasi.dossier.records import latest_by_kind

LIST_LIMIT = 200


def letter_kind(task: ApprovalTask) -> str:
    return OUTSIDE_LETTERS.get(task.role, PPK_LETTER)


def desk(session: Session, agency_code: str) -> dict[str, Any]:
    cases = select(col(MutationCase.id)).where(col(MutationCase.agency_code) == agency_code)
    acts = session.execute(
        select(ApprovalTask, MutationCase)
        .join(MutationCase, col(MutationCase.id) == col(ApprovalTask.case_id))
        .where(
            col(MutationCase.agency_code) == agency_code,
            col(ApprovalTask.kind) == TaskKind.RECORDED,
            col(ApprovalTask.status) == TaskStatus.OPEN,
        )
        .order_by(col(ApprovalTask.due_at))
        .limit(LIST_LIMIT)
    ).all()
    submitted = (
        session.execute(
            select(CaseDocument)
            .where(col(CaseDocument.case_id).in_(cases), col(CaseDocument.status) == "submitted")
            .order_by(col(CaseDocument.uploaded_at))
            .limit(LIST_LIMIT)
        )
        .scalars()
        .all()
    )
    # Only each kind's latest upload is verified; an older one was replaced.
    to_verify = [d for d in submitted if latest_by_kind(session, d.case_id)[d.kind].id == d.id]
    committees: dict[str, dict[str, Any] | None] = {}
    for kind in ("tpk", "baperjakat"):
        try:
            committees[kind] = committee_out(session, committee_or_422(session, agency_code, kind))
        except ProblemError:  # no committee can be formed yet: the page says so
            committees[kind] = None
    reporting = (
        session.execute(
            select(MutationCase)
            .where(
                col(MutationCase.agency_code) == agency_code,
                col(MutationCase.stage) == Stage.REPORTING,
            )
            .order_by(col(MutationCase.tmt))
            .limit(LIST_LIMIT)
        )
        .scalars()
        .all()
    )
    return {
        "acts": [
            {
                "task": t,
                "case": c,
                "name": employee_name(session, c.nip),
                "letter_kind": letter_kind(t),
                "letter_title": LETTER_KINDS[letter_kind(t)],
            }
            for t, c in acts
        ],
        "documents": [{"doc": d, "title": LETTER_KINDS.get(d.kind, d.kind)} for d in to_verify],
        "committees": committees,
        "pending_committee": {k: pending_out(session, agency_code, k) for k in committees},
        "sittings": session.execute(
            select(CommitteeSitting)
            .where(col(CommitteeSitting.agency_code) == agency_code)
            .order_by(col(CommitteeSitting.created_at).desc())
            .limit(20)
        )
        .scalars()
        .all(),
        # Decrees drafted and waiting for the PPK's remote or hand signature.
        "unsigned": session.execute(
            select(IssuedDocument)
            .where(
                col(IssuedDocument.agency_code) == agency_code,
                col(IssuedDocument.state) == AWAITING,
                col(IssuedDocument.kind).in_(["decree", "collective", "revocation"]),
            )
            .order_by(col(IssuedDocument.number))
            .limit(LIST_LIMIT)
        )
        .scalars()
        .all(),
        "pending_decree": [
            {"case": c, "name": employee_name(session, c.nip)}
            for c in pending_decree_cases(session, agency_code)
        ],
        "decrees": session.execute(
            select(CollectiveDecree)
            .where(col(CollectiveDecree.agency_code) == agency_code)
            .order_by(col(CollectiveDecree.created_at).desc())
            .limit(20)
        )
        .scalars()
        .all(),
        "reporting": [{"case": c, "name": employee_name(session, c.nip)} for c in reporting],
    }
