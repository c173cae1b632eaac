"""mail outbox: notification delivery state, employee e-mail addresses

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 04:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))
        batch_op.add_column(sa.Column('email_bounced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_status', sqlmodel.sql.sqltypes.AutoString(length=12), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('mail_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('mailed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('mail_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.create_index('ix_notification_outbox', ['mail_status', 'created_at'], unique=False)
    # Notices written before the outbox existed are not mailed late.
    op.execute("UPDATE notification SET mail_status = 'skipped'")


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_outbox')
        batch_op.drop_column('mail_error')
        batch_op.drop_column('mailed_at')
        batch_op.drop_column('mail_attempts')
        batch_op.drop_column('mail_status')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('email_bounced_at')
        batch_op.drop_column('email')
