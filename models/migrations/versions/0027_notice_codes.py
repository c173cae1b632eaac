"""a notice keeps its message as a code and values (rendered in the reader's language);
`message` keeps the Indonesian text the mail sends. Notices written before have no code
and are shown by their text

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 01:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('message_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column('message_params', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('message_params')
        batch_op.drop_column('message_code')
