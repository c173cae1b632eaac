"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable), demo data,
and the Temporal time-skipping environment."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from mutasi.accounts.users import create_demo_users
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine, upgrade_database
from mutasi.infra.settings import Settings

POSTGRES_URL = os.environ.get(
    "MUTASI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEMO_EMPLOYEES = 600


def _postgres_reason() -> str | None:
    try:
        probe = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
        return None
    except Exception as exc:  # any connection failure means: no server to test against
        return f"PostgreSQL tidak terjangkau di {POSTGRES_URL} ({type(exc).__name__}); set MUTASI_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    reason = _postgres_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true menuntut PostgreSQL: {reason}")
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database per test, dropped afterwards."""
    name = f"mutasi_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def isolated_checkpoints(tmp_path, monkeypatch) -> Iterator[str]:
    """Each test's signed audit checkpoints (and documents) in a folder of its own: a checkpoint of another
    test's database (or of `make run`'s) would rightly read as a rewritten chain."""
    from mutasi.infra.settings import get_settings

    folder = str(tmp_path / "audit-checkpoints")
    monkeypatch.setenv("MUTASI_AUDIT_CHECKPOINT_DIR", folder)
    monkeypatch.setenv("MUTASI_DOCUMENT_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("MUTASI_MAIL_DIR", str(tmp_path / "mail"))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mutasi.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    upgrade_database(db_url)
    eng = build_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'mutasi.db'}"
    upgrade_database(url)
    eng = build_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> str:
    """A migrated SQLite database holding the demo agency, copied per test that needs it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    eng = build_engine(url)
    load_demo(eng, DEMO_EMPLOYEES, 7)
    create_demo_users(eng, Settings())
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return str(path)


@pytest.fixture
def demo_engine(demo_template: str, tmp_path) -> Iterator[Engine]:
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    eng = build_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
async def time_skipping_env():
    """A fresh test server per test: workflows left running by one test (waiting on
    timers) must not be fast-forwarded by the next test's time skipping."""
    from temporalio.testing import WorkflowEnvironment

    from mutasi.infra.temporal import DATA_CONVERTER, ensure_search_attributes, test_server_binary

    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(test_server_binary()), data_converter=DATA_CONVERTER
    )
    await ensure_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
async def dev_server():
    """The real Temporal dev server (in memory): real time, visibility queries, deletion."""
    from temporalio.testing import WorkflowEnvironment

    from mutasi.infra.temporal import DATA_CONVERTER, temporal_cli
    from tests.workflow_support import dev_server_extra_args

    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(temporal_cli()),
        dev_server_extra_args=dev_server_extra_args(),
        ui=False,
        data_converter=DATA_CONVERTER,
    )
    yield env
    await env.shutdown()


@pytest.fixture
def api_client(demo_engine):
    """The API with no Temporal behind it and nobody signed in."""
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)) as c:
        yield c


@pytest.fixture
def hr(demo_engine):
    """The API (no Temporal behind it) with HR signed in by bearer token."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.auth_support import auth_headers

    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    with TestClient(
        create_app(settings, engine=demo_engine), headers=auth_headers(demo_engine, settings, "hr")
    ) as client:
        yield client


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def chromium_path() -> str:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} tidak ada (apt-get install chromium; .ci/run memasangnya)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    pytest.importorskip("playwright.async_api")
    return str(CHROMIUM)


@pytest.fixture
def decree_pki():
    """A CA made for the test and the PPK's PKCS#12 under it (passphrase "sandi-p12")."""
    from mutasi.decree.demo_certificate import issue_pkcs12

    return issue_pkcs12("Bupati Uji", "sandi-p12", ca_name="CA Uji")


@pytest.fixture
def decree_settings(tmp_path):
    """Settings whose document store is the test's own (the decree tests read it)."""
    from mutasi.infra.settings import Settings

    return Settings(
        TEMPORAL_ADDRESS="127.0.0.1:1",
        audit_checkpoint_dir=str(tmp_path / "checkpoints"),
        document_dir=str(tmp_path / "dokumen"),
    )
