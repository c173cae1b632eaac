"""decree appeals (keberatan) after a decree

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 04:45:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decree_appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('decree_number', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('document_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('document_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('filed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decider_nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('letter_number', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mutation_case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('decree_appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decree_appeal_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decree_appeal_nip'), ['nip'], unique=False)
        batch_op.create_index(batch_op.f('ix_decree_appeal_decider_nip'), ['decider_nip'], unique=False)
        batch_op.create_index(batch_op.f('ix_decree_appeal_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('decree_appeal')
