"""family relations between employees (conflict-of-interest rule)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 21:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('family_relation',
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('relative_nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.ForeignKeyConstraint(['nip'], ['employee.nip'], ),
    sa.ForeignKeyConstraint(['relative_nip'], ['employee.nip'], ),
    sa.PrimaryKeyConstraint('nip', 'relative_nip')
    )


def downgrade() -> None:
    op.drop_table('family_relation')
