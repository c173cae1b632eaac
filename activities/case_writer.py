"""The one writer every case activity goes through: open a transaction, find the case,
apply the change, append its audit event (and any notification), commit. Natural keys make
each write idempotent; the audit key is the activity's own identity (run id + activity id,
stable across retries)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.common import activity_key, notify_once
from contracts.case import CaseRef
from contracts.messages import Msg
from models import (
    ApprovalTask,
    MutationCase,
)
from models.tables import table_of
from mutasi.audit import chain as audit
from mutasi.audit.anchor import CheckpointStore
from mutasi.decree.frozen import Issuer
from mutasi.infra.db import as_utc
from mutasi.infra.record_key import DecreeSigner

_log = logging.getLogger("mutasi.case")

# The hot statements, built once and run on the session's connection: Core rows instead of
# ORM objects and the ORM's bulk-DML path cost the worker a fraction of the CPU per case.
_CASE = table_of(MutationCase)
CASE_BY_ID = select(_CASE).where(_CASE.c.id == bindparam("id"))
_TASK = table_of(ApprovalTask)
TASK_BY_ID = select(_TASK).where(_TASK.c.id == bindparam("id"))
# A task's status and assignee with what an audit event needs of its case.
TASK_WITH_CASE = (
    select(
        _TASK.c.status,
        _TASK.c.decided_by,
        _TASK.c.assignee_nip,
        _CASE.c.id,
        _CASE.c.agency_code,
        _CASE.c.workflow_id,
    )
    .join(_CASE, _CASE.c.id == _TASK.c.case_id)
    .where(_TASK.c.id == bindparam("id"))
)


def sql_of(s: Session) -> Connection:
    """The session's connection, in its transaction, for Core statements."""
    return s.connection()


class CaseWriter:
    def __init__(
        self,
        engine: Engine,
        signer: DecreeSigner,
        checkpoints: CheckpointStore | None = None,
        issuer: Issuer | None = None,
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.checkpoints = checkpoints
        # Decrees' documents (store, the PPK's signer); None: from this process's settings.
        self.issuer = issuer

    # -- helpers ------------------------------------------------------------------
    def _case(self, s: Session, case_id: str) -> Row[*tuple[Any, ...]]:
        case = sql_of(s).execute(CASE_BY_ID, {"id": case_id}).first()
        if case is None:
            raise ApplicationError(
                f"kasus {case_id} tidak ada", type="CaseNotFound", non_retryable=True
            )
        return case

    def _task(self, s: Session, task_id: str) -> ApprovalTask:
        # A task that is not there will not appear by retrying: fail the activity for good.
        task = s.get(ApprovalTask, task_id)
        if task is None:
            raise ApplicationError(
                f"tugas {task_id} tidak ada", type="TaskNotFound", non_retryable=True
            )
        return task

    def _audit(
        self,
        s: Session,
        case: Row[*tuple[Any, ...]] | CaseRef | MutationCase,
        at: datetime,
        action: str,
        *,
        actor: str = "sistem",
        role: str = "system",
        subject_type: str = "case",
        subject_id: str | None = None,
        old: dict[str, Any] | None = None,
        new: dict[str, Any] | None = None,
        reason: str | None = None,
        suffix: str = "",
    ) -> None:
        audit.append(
            s,
            audit.AuditInput(
                key=activity_key(suffix),
                agency_code=case.agency_code,
                at=as_utc(at),
                actor=actor,
                role=role,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id or case.id,
                old=old,
                new=new,
                reason=reason,
                workflow_id=case.workflow_id,
                run_id=activity.info().workflow_run_id,
            ),
        )
        _log.info(
            "%s %s",
            action,
            subject_id or case.id,
            extra={"case_id": case.id, "task_id": subject_id if subject_type == "task" else None},
        )

    def _notify(
        self,
        s: Session,
        recipient: str,
        case_id: str,
        kind: str,
        message: Msg,
        at: datetime,
        suffix: str,
    ) -> None:
        notify_once(sql_of(s), recipient, case_id, kind, message, at, suffix)

    def _case_of(
        self, s: Session, case_id: str, ref: CaseRef | None
    ) -> Row[*tuple[Any, ...]] | CaseRef:
        """The case as the workflow sent it, else (an older workflow's call) its row."""
        return ref if ref is not None else self._case(s, case_id)

    @contextmanager
    def writing(
        self, case_id: str, ref: CaseRef | None = None
    ) -> Iterator[tuple[Session, Row[*tuple[Any, ...]] | CaseRef]]:
        """The transaction of one case change: (session, case); commits on success."""
        with Session(self.engine) as s:
            yield s, self._case_of(s, case_id, ref)
            s.commit()
