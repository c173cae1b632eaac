"""The contract at its edges: a method a path does not answer gets a 405 whose Allow names
every method the path does answer; every operation that takes a body documents its 400
and the characters its strings may not hold; an approver cannot tell someone else's task
from a task that does not exist."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlmodel import Session, col

from api.main import create_app
from api.openapi import NO_CONTROL_CHARACTERS
from models import UserAccount
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
METHODS = ("get", "post", "put", "patch", "delete")


def test_every_405_names_every_method_its_path_answers(api_client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    checked = 0
    for template, operations in api_client.app.openapi()["paths"].items():
        documented = {m.upper() for m in operations if m in METHODS}
        missing = [m for m in METHODS if m not in operations]
        if not missing:
            continue
        path = re.sub(r"\{[^}]+\}", "1", template)
        r = api_client.request(missing[0].upper(), path, headers=hr)
        if r.status_code != 405:  # another route (a {…:path} parameter) answers it
            continue
        allowed = {m.strip() for m in r.headers["allow"].split(",")}
        assert documented <= allowed, (template, documented, allowed)
        checked += 1
    assert checked > 50


def test_every_operation_with_a_body_documents_its_400_and_refused_characters(api_client):
    schema = api_client.app.openapi()
    with_body = 0
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS and "requestBody" in operation:
                with_body += 1
                assert "400" in operation["responses"], (method, template)
    assert with_body > 30
    user = schema["components"]["schemas"]["UserCreate"]["properties"]
    assert user["full_name"]["pattern"] == NO_CONTROL_CHARACTERS


async def test_someone_elses_task_answers_like_a_task_that_does_not_exist(
    time_skipping_env, demo_engine
):
    from activities.cases import CaseActivities
    from contracts.case import OpenCase, OpenTasks
    from tests.support.cases import AT, case_input, env_for
    from tests.test_audit_anchor import SIGNER

    acts = CaseActivities(demo_engine, SIGNER)
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    [task] = env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    with Session(demo_engine) as s:
        stranger = (
            s.execute(
                select(UserAccount.username).where(
                    UserAccount.roles == "approver,employee",
                    col(UserAccount.nip).not_in(task.deciders),
                )
            )
            .scalars()
            .first()
        )
    other = auth_headers(demo_engine, SETTINGS, stranger)
    ghost = f"{inp.case_id}/9/tidak_ada"
    app = create_app(SETTINGS, engine=demo_engine, temporal=time_skipping_env.client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as api:
        answers = [
            (
                await api.request(
                    method, f"/api/v1/tasks/{task.id}{suffix}", json=body, headers=other
                ),
                await api.request(
                    method, f"/api/v1/tasks/{ghost}{suffix}", json=body, headers=other
                ),
            )
            for method, suffix, body in (
                ("GET", "", None),
                ("POST", "/decision", {"approve": True}),
            )
        ]
        confirm = {"document_id": 1, "reported_on": "2026-12-01"}
        answers.append(
            (
                await api.post(
                    f"/api/v1/cases/{inp.case_id}/reporting", json=confirm, headers=other
                ),
                await api.post(
                    f"/api/v1/cases/{inp.case_id}x/reporting", json=confirm, headers=other
                ),
            )
        )
    ghosts = {task.id: ghost, inp.case_id: f"{inp.case_id}x"}
    for real, fake in answers:
        assert real.status_code == fake.status_code == 404, (real.text, fake.text)
        said, faked = real.json()["detail"], fake.json()["detail"]
        for known, unknown in ghosts.items():
            said, faked = said.replace(known, "?"), faked.replace(unknown, "?")
        assert said == faked
