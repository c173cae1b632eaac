"""audit events carry a MAC keyed by MUTASI_AUDIT_MAC_KEY (which the database never holds);
the events already written get theirs from the key this upgrade runs with

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    # Every event so far gets its MAC from the key of the processes running this upgrade:
    # from here on, a row without a valid one was not written by the application.
    from mutasi.audit.chain import event_mac, process_mac_key

    key = process_mac_key()
    bind = op.get_bind()
    event = sa.table(
        'audit_event',
        sa.column('id', sa.Integer),
        sa.column('key', sa.String),
        sa.column('agency_code', sa.String),
        sa.column('at', sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column('actor', sa.String),
        sa.column('role', sa.String),
        sa.column('action', sa.String),
        sa.column('subject_type', sa.String),
        sa.column('subject_id', sa.String),
        sa.column('old', sa.JSON),
        sa.column('new', sa.JSON),
        sa.column('reason', sa.String),
        sa.column('workflow_id', sa.String),
        sa.column('run_id', sa.String),
        sa.column('mac', sa.String),
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.select(event).where(event.c.id > after).order_by(event.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            event.update().where(event.c.id == sa.bindparam('event_id')).values(
                mac=sa.bindparam('event_mac')
            ),
            [{'event_id': row.id, 'event_mac': event_mac(key, row)} for row in rows],
        )
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('mac')
