"""The documented PostgreSQL hardening works: an application role that may INSERT into the
audit table but not UPDATE or DELETE it (README, "Audit you can prove")."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from mutasi.infra.db import upgrade_database

pytestmark = pytest.mark.postgres
HARDENING = """
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {role};
GRANT SELECT, INSERT ON audit_event TO {role};
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
    app = create_engine(make_url(postgres_url).set(username=role), isolation_level="AUTOCOMMIT")
    row = {"key": "k1", "agency": "A", "seq": 1}
    try:
        with app.connect() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_event (key, agency_code, seq, at, actor, role, action, subject_type, subject_id, "
                    "prev_hash, hash) VALUES (:key, :agency, :seq, now(), 'x', 'system', 'test', 'case', 'c', '0', '0')"
                ),
                row,
            )
            for statement in (
                "UPDATE audit_event SET actor = 'penyusup'",
                "DELETE FROM audit_event",
                "TRUNCATE audit_event",
            ):
                with pytest.raises(ProgrammingError, match="permission denied"):
                    conn.execute(text(statement))
            assert conn.execute(text("SELECT actor FROM audit_event")).scalar_one() == "x"
    finally:
        app.dispose()
        with owner.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        owner.dispose()
