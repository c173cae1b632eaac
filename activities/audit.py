"""The audit checkpoint activity: sign every agency's chain head into the file store. Its
result stays in the Temporal history of the workflow that ran it, a second anchor outside
the application database."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from contracts.housekeeping import CheckpointRecord, CheckpointRequest, CheckpointResult
from mutasi.audit.anchor import CheckpointStore, take_checkpoints
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
