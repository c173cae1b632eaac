"""Shared by the decree tests (their fixtures `decree_pki` and `decree_settings` are in
conftest.py): an issuer over the settings, and a case of the demo agency taken to its decree."""

from __future__ import annotations

from datetime import date, timedelta

from activities.cases import CaseActivities
from contracts.case import DecreeRequest, OpenCase, OpenTasks
from mutasi.decree.frozen import Issuer
from mutasi.infra.clock import today
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import Settings
from tests.test_case_activities import AT, SIGNER, env_for
from tests.test_case_workflow import case_input


def issuer(settings: Settings, method: str, signer=None) -> Issuer:
    return Issuer(
        store=DocumentStore(settings.document_dir),
        record_key=SIGNER,
        signer=signer,
        method=method,
        base_url=settings.public_base_url,
    )


def issue(engine, the_issuer: Issuer, decided_on: date | None = None, tmt: date | None = None):
    """A case of the demo agency taken to its decree by the activities."""
    acts = CaseActivities(engine, SIGNER, issuer=the_issuer)
    inp = case_input(engine, training=[])
    env_for("1").run(acts.open_case, OpenCase(inp, "run-1", AT, AT))
    env_for("2").run(acts.open_tasks, OpenTasks(inp.case_id, 0, inp.steps[0], AT))
    decided_on = decided_on or today()
    issued = env_for("3").run(
        acts.issue_decree,
        DecreeRequest(inp.case_id, decided_on, tmt or decided_on + timedelta(days=30), AT),
    )
    return acts, inp, issued
