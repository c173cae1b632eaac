"""The dossier in the database: the checklist in force, uploads and their verification."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import CaseDocument, DocumentChecklist
from mutasi.dossier.checklist import DEFAULT_CHECKLISTS, ChecklistItem, from_rows


def checklist_for(session: Session, mutation_type: str) -> list[ChecklistItem]:
    own = session.get(DocumentChecklist, mutation_type)
    if own is not None:
        return from_rows(own.items)
    return list(DEFAULT_CHECKLISTS.get(mutation_type, []))


def required_kinds(session: Session, mutation_type: str) -> list[str]:
    return [i.code for i in checklist_for(session, mutation_type) if i.required]


def latest_by_kind(session: Session, case_id: str) -> dict[str, CaseDocument]:
    """Each kind's latest upload: it replaces the earlier ones."""
    rows = session.execute(
        select(CaseDocument)
        .where(col(CaseDocument.case_id) == case_id)
        .order_by(col(CaseDocument.uploaded_at), col(CaseDocument.id))
    ).scalars()
    return {row.kind: row for row in rows}


def accepted_kinds(session: Session, case_id: str) -> list[str]:
    return sorted(k for k, d in latest_by_kind(session, case_id).items() if d.status == "accepted")
