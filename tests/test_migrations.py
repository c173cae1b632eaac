"""The migrations build exactly the models' schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from mutasi.infra.db import upgrade_database


@pytest.mark.postgres
def test_upgrade_head_on_empty_postgres_matches_models(postgres_url):
    upgrade_database(postgres_url)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    engine.dispose()
    assert diff == [], diff


def test_upgrade_head_on_sqlite_creates_every_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    upgrade_database(url)  # idempotent
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
