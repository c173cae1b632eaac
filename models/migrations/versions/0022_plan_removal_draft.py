"""plan review: removals marked before the plan decision

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 05:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_removal',
    sa.Column('cycle_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('marked_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('marked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['transfer_cycle.id'], ),
    sa.PrimaryKeyConstraint('cycle_id', 'nip')
    )


def downgrade() -> None:
    op.drop_table('plan_removal')
