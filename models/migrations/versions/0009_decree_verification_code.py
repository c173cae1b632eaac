"""decree verification code (unguessable, printed in the QR code); chain head signed with it

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 20:30:00
"""
import secrets

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decree', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    # Decrees issued before codes existed get one now (their old QR codes then ask for it).
    conn = op.get_bind()
    decree = sa.table('decree', sa.column('number', sa.String), sa.column('verification_code', sa.String))
    for (number,) in conn.execute(sa.select(decree.c.number).where(decree.c.verification_code.is_(None))).all():
        conn.execute(decree.update().where(decree.c.number == number)
                     .values(verification_code=secrets.token_urlsafe(12)))


def downgrade() -> None:
    with op.batch_alter_table('decree', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_seq')
        batch_op.drop_column('verification_code')
