"""The documented PostgreSQL hardening works: an application role that may write audit
events and seal them (set their links), but not change what an event says nor delete it
(docs/audit.md)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlmodel import Session

from mutasi.audit.chain import append, seal, verify
from mutasi.infra.db import upgrade_database
from tests.test_audit_chain import entry

pytestmark = pytest.mark.postgres
HARDENING = """
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {role};
GRANT SELECT, INSERT ON audit_event TO {role};
GRANT UPDATE (seq, prev_hash, hash) ON audit_event TO {role};
GRANT USAGE ON SEQUENCE audit_event_id_seq TO {role};
"""


def test_app_role_cannot_rewrite_the_audit_trail(postgres_url):
    upgrade_database(postgres_url)
    role = f"mutasi_app_{uuid.uuid4().hex[:8]}"
    owner = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
        for statement in HARDENING.format(role=role).strip().splitlines():
            conn.execute(text(statement))
    app = create_engine(make_url(postgres_url).set(username=role))
    try:
        # What the application does: write events, then seal them into the chain.
        with Session(app) as s:
            for key in ("k1", "k2"):
                append(s, entry(key))
            s.commit()
            assert seal(s, "AG1") == 2
            s.commit()
            assert verify(s, "AG1").ok
        with app.connect() as conn:
            for statement in (
                "UPDATE audit_event SET actor = 'penyusup'",
                "DELETE FROM audit_event",
                "TRUNCATE audit_event",
            ):
                with pytest.raises(ProgrammingError, match="permission denied"):
                    conn.execute(text(statement))
                conn.rollback()
            actors = conn.execute(text("SELECT DISTINCT actor FROM audit_event")).scalars().all()
            assert actors == ["hr"]
    finally:
        app.dispose()
        with owner.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        owner.dispose()
