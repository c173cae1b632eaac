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
from mutasi.audit.anchor import CheckpointStore, seal_and_anchor, take_checkpoints
from mutasi.infra.record_key import DecreeSigner


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
        return CheckpointResult(checkpoints=[CheckpointRecord(**asdict(c)) for c in taken])

    @activity.defn
    def seal_audit(self, req: SealRun) -> SealReport:
        """Link what was written since the last seal, then anchor every head it moved.
        Idempotent: a retry finds the events already linked, and the store appends a head
        only once (its answer is the head as first stored)."""
        with Session(self.engine) as s:
            sealed = seal_and_anchor(s, self.signer, self.store, req.agency_code)
        return SealReport(
            sealed={agency: count for agency, (count, _) in sealed.items()},
            heads=[CheckpointRecord(**asdict(c)) for _, c in sealed.values() if c is not None],
        )
