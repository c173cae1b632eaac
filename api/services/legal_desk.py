"""What HR's legal-process desk shows for one agency: documents to verify, acts to record
from letters, cases waiting for a committee sitting or a collective decree, sittings and
decrees already made, and SPMTs still owed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

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


def desk(session, agency_code: str) -> dict[str, Any]:
    cases = select(MutationCase.id).where(MutationCase.agency_code == agency_code)
    acts = session.execute(
        select(ApprovalTask, MutationCase)
        .join(MutationCase, MutationCase.id == ApprovalTask.case_id)
        .where(
            MutationCase.agency_code == agency_code,
            ApprovalTask.kind == TaskKind.RECORDED,
            ApprovalTask.status == TaskStatus.OPEN,
        )
        .order_by(ApprovalTask.due_at)
        .limit(LIST_LIMIT)
    ).all()
    submitted = (
        session.execute(
            select(CaseDocument)
            .where(col(CaseDocument.case_id).in_(cases), CaseDocument.status == "submitted")
            .order_by(CaseDocument.uploaded_at)
            .limit(LIST_LIMIT)
        )
        .scalars()
        .all()
    )
    # Only each kind's latest upload is verified; an older one was replaced.
    to_verify = [d for d in submitted if latest_by_kind(session, d.case_id)[d.kind].id == d.id]
    committees = {}
    for kind in ("tpk", "baperjakat"):
        try:
            committees[kind] = committee_out(session, committee_or_422(session, agency_code, kind))
        except ProblemError:  # no committee can be formed yet: the page says so
            committees[kind] = None
    reporting = (
        session.execute(
            select(MutationCase)
            .where(MutationCase.agency_code == agency_code, MutationCase.stage == Stage.REPORTING)
            .order_by(MutationCase.tmt)
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
            .where(CommitteeSitting.agency_code == agency_code)
            .order_by(col(CommitteeSitting.created_at).desc())
            .limit(20)
        )
        .scalars()
        .all(),
        # Decrees drafted and waiting for the PPK's remote or hand signature.
        "unsigned": session.execute(
            select(IssuedDocument)
            .where(
                IssuedDocument.agency_code == agency_code,
                IssuedDocument.state == AWAITING,
                col(IssuedDocument.kind).in_(["decree", "collective", "revocation"]),
            )
            .order_by(IssuedDocument.number)
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
            .where(CollectiveDecree.agency_code == agency_code)
            .order_by(col(CollectiveDecree.created_at).desc())
            .limit(20)
        )
        .scalars()
        .all(),
        "reporting": [{"case": c, "name": employee_name(session, c.nip)} for c in reporting],
    }
