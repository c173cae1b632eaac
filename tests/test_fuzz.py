"""Schemathesis against the app's own OpenAPI, over real HTTP (uvicorn, a dev server and a
worker, on a throwaway copy of the demo database), as every role and anonymously, with
every check on: no 5xx, and every response's status, content type, headers and body as
documented. `make test` runs a few examples per operation; `make test-chaos` 200."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from mutasi.infra.db import build_engine
from tests.auth_support import user_id, username_with_role
from tests.chaos_support import ROOT, DevServer, WorkerProcess, free_port

pytestmark = pytest.mark.devserver
EXAMPLES = int(os.environ.get("MUTASI_FUZZ_EXAMPLES", "4"))


@pytest.fixture(scope="module")
def live_api(demo_template, tmp_path_factory):
    from mutasi.accounts.security import issue_token
    from mutasi.infra.settings import Settings

    tmp = tmp_path_factory.mktemp("fuzz")
    shutil.copy(demo_template, tmp / "app.db")
    url = f"sqlite:///{tmp / 'app.db'}"
    server = DevServer(tmp / "temporal.db")
    server.start()
    queue = f"fuzz-{uuid.uuid4().hex[:6]}"
    worker = WorkerProcess(server.address, url, queue, tmp / "worker.log")
    worker.start()
    port = free_port()
    env = {**worker.env}
    with (tmp / "api.log").open("w") as log:
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.main:create_app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/v1/health").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise AssertionError(f"API uji tidak menjawab di {base}")
    engine = build_engine(url)
    accounts = {
        "hr_admin": "hr",
        "auditor": "auditor",
        "approver": username_with_role(engine, "approver"),
        "employee": username_with_role(engine, "employee", exclude_roles=("approver",)),
    }
    secrets = Settings()
    headers = {
        role: {
            "Authorization": f"Bearer {issue_token(secrets, user_id(engine, name), 120, 'api').token}"
        }
        for role, name in accounts.items()
    }
    headers["anonymous"] = {}
    engine.dispose()
    yield base, headers
    api.terminate()
    api.wait(10)
    worker.stop()
    server.kill()


def fuzz_operation(operation, base: str, headers: dict, failures: list[str], sent: list[int]):
    """A Hypothesis test for one operation: each generated request is sent as every role."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def run(case):
        for role, role_headers in headers.items():
            sent[0] += 1
            try:
                case.call_and_validate(
                    base_url=base, headers=role_headers
                )  # every registered check
            except Exception as exc:
                failures.append(f"{operation.label} as {role}: {str(exc)[:300]}")
                raise

    return run


def test_no_server_errors_and_responses_match_schema(live_api):
    """Every operation, EXAMPLES generated requests each, sent as every role and anonymously."""
    base, headers = live_api
    api = schemathesis.openapi.from_url(f"{base}/openapi.json")
    failures: list[str] = []
    sent = [0]
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        try:
            fuzz_operation(operation, base, headers, failures, sent)()
        except (
            Exception
        ) as exc:  # the failing request is already in `failures`; anything else is added
            if not failures or not failures[-1].startswith(operation.label):
                failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, "\n".join(failures[:20])
    assert sent[0] >= len(operations) * len(headers)
