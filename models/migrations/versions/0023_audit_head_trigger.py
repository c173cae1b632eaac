"""audit chain: the head's hash follows each inserted event (a trigger), so an append is
two statements from the worker: advance the head, insert the event

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 06:30:00
"""
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# Only the event that is the head's latest moves the head's hash: a row written out of
# order (a restore, a forged insert) leaves the head as it was, for verify to compare.
SET_HEAD = (
    "UPDATE audit_chain_head SET hash = NEW.hash "
    "WHERE agency_code = NEW.agency_code AND seq = NEW.seq"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_sets_head() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {SET_HEAD}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_sets_head AFTER INSERT ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_sets_head()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_event_sets_head AFTER INSERT ON audit_event "
            f"BEGIN {SET_HEAD}; END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_event_sets_head" + (
        " ON audit_event" if op.get_bind().dialect.name == "postgresql" else ""
    ))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_event_sets_head()")
