"""position requirements (minimum rank, functional level, hard education) and service status

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_rank', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.add_column(sa.Column('jenjang', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('education_required', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False,
                                      server_default='aktif'))


def downgrade() -> None:
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('service_status')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('education_required')
        batch_op.drop_column('jenjang')
        batch_op.drop_column('min_rank')
