"""credentials: a session epoch per account (a new password ends every earlier token) and
the addresses each account signed in from (throttling spares the owner there)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 22:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'known_sign_in',
        sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('last_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('username', 'address'),
    )
    with op.batch_alter_table('known_sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_sign_in_last_at'), ['last_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('known_sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_sign_in_last_at'))
    op.drop_table('known_sign_in')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
