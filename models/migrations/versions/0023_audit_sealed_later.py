"""audit chain: an event is written unlinked and sealed into its agency's chain in batches
(seq, prev_hash and hash set by the sealer), so concurrent cases no longer queue on the
agency's chain head

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 06:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

UNSEALED = sa.text("seq IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column(
            'prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        )
        batch_op.alter_column(
            'hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        )
    # The sealer's work list: the unsealed events of an agency, in the order written.
    op.create_index(
        'ix_audit_event_unsealed',
        'audit_event',
        ['agency_code', 'id'],
        unique=False,
        sqlite_where=UNSEALED,
        postgresql_where=UNSEALED,
    )


def downgrade() -> None:
    op.drop_index('ix_audit_event_unsealed', table_name='audit_event')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
