"""The audit housekeeping activities: seal the events written since the last seal into
their agencies' chains, and sign every agency's chain head into the file store (the
checkpoint's result stays in the Temporal history of the workflow that ran it, a second
anchor outside the application database)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from contracts.housekeeping import (
    CheckpointRecord,
    CheckpointRequest,
    CheckpointResult,
    SealReport,
    SealRun,
)
from mutasi.audit.anchor import CheckpointStore, take_checkpoints
from mutasi.audit.chain import seal, seal_all
from mutasi.decree.signing import DecreeSigner


class AuditActivities:
    def __init__(self, engine: Engine, signer: DecreeSigner, store: CheckpointStore) -> None:
        self.engine = engine
        self.signer = signer
        self.store = store

    @activity.defn
    def take_audit_checkpoints(self, req: CheckpointRequest) -> CheckpointResult:
        # Idempotent: the store appends a checkpoint only when the head moved since the last one.
        with Session(self.engine) as s:
            taken = take_checkpoints(s, self.signer, self.store, req.agency_code)
        return CheckpointResult([CheckpointRecord(**asdict(c)) for c in taken])

    @activity.defn
    def seal_audit(self, req: SealRun) -> SealReport:
        # Idempotent: a retry finds the events its first attempt sealed already linked.
        with Session(self.engine) as s:
            if req.agency_code is None:
                return SealReport(seal_all(s))
            sealed = seal(s, req.agency_code)
            s.commit()
        return SealReport({req.agency_code: sealed})
