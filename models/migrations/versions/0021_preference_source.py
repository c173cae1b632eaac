"""placement preferences remember where and when they were stated

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 04:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('placement_preference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='import', nullable=False))
        batch_op.add_column(sa.Column('stated_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('placement_preference', schema=None) as batch_op:
        batch_op.drop_column('stated_on')
        batch_op.drop_column('source')
