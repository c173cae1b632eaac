"""one open case per person, across cycles

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('uq_mutation_case_open_nip', 'mutation_case', ['nip'], unique=True,
                    sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_mutation_case_open_nip', table_name='mutation_case')
