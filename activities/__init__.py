"""Every activity the worker runs, in one registry: each activity class built once over its
dependencies, and every method it marks `@activity.defn` registered, so a new activity
cannot be forgotten by the worker (or by the idempotency test that walks this list)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from mutasi.audit.anchor import CheckpointStore
from mutasi.decree.frozen import Issuer
from mutasi.infra.documents import DocumentStore
from mutasi.infra.record_key import DecreeSigner
from mutasi.mail.sender import MailSettings


def activity_methods(instance: object) -> list[Callable[..., Any]]:
    """The bound `@activity.defn` methods of `instance`, in name order."""
    return [
        getattr(instance, name)
        for name in sorted(dir(type(instance)))
        if hasattr(getattr(type(instance), name), "__temporal_activity_definition")
    ]


def registry(
    engine: Engine,
    signer: DecreeSigner,
    checkpoints: CheckpointStore,
    documents: DocumentStore,
    mail: MailSettings,
    base_url: str,
    issuer: Issuer | None = None,
) -> list[Callable[..., Any]]:
    from activities.archive import ArchiveActivities
    from activities.audit import AuditActivities
    from activities.cases import CaseActivities
    from activities.cycle import CycleActivities
    from activities.mail import MailActivities
    from activities.planning import PlanningActivities
    from activities.requests import RequestActivities

    instances = [
        PlanningActivities(engine),
        CycleActivities(engine),
        # Every stage of a case, over one shared writer (activities.case_writer).
        CaseActivities(engine, signer, checkpoints, issuer),
        AuditActivities(engine, signer, checkpoints),
        ArchiveActivities(engine, documents),
        RequestActivities(engine),
        MailActivities(engine, mail, base_url),
    ]
    return [method for instance in instances for method in activity_methods(instance)]
