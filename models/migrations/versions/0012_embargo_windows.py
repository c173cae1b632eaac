"""embargo windows (no replacing officials without the Minister's approval)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 21:45:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('embargo_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('approval_number', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('approval_date', sa.Date(), nullable=True),
    sa.Column('approval_document', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('approval_recorded_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_embargo_window_agency_code'), 'embargo_window', ['agency_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_embargo_window_agency_code'), table_name='embargo_window')
    op.drop_table('embargo_window')
