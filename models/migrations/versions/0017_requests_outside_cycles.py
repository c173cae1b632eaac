"""requests outside cycles: transfer_request, request_document; a case without a cycle

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 04:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OPEN_CASE = sa.text("outcome IS NULL")
OPEN_REQUEST = sa.text("status IN ('opinion', 'screening')")


def upgrade() -> None:
    op.create_table('transfer_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('wishes', sa.JSON(), nullable=False),
    sa.Column('destination_position', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('superior_nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('opinion_due', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('opinion', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('opinion_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('opinion_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('screening', sa.JSON(), nullable=False),
    sa.Column('override_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=True),
    sa.Column('workflow_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['nip'], ['employee.nip'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transfer_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_request_nip'), ['nip'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_request_agency_code'), ['agency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_request_superior_nip'), ['superior_nip'], unique=False)
    op.create_index(
        'uq_transfer_request_open_nip', 'transfer_request', ['nip'], unique=True,
        sqlite_where=OPEN_REQUEST, postgresql_where=OPEN_REQUEST,
    )
    op.create_table('request_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['transfer_request.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('request_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_document_request_id'), ['request_id'], unique=False)

    # SQLite rebuilds the table to relax cycle_id: the partial index is dropped first and
    # made again after, so it keeps its WHERE clause.
    op.drop_index('uq_mutation_case_open_nip', table_name='mutation_case')
    with op.batch_alter_table('mutation_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.alter_column('cycle_id', existing_type=sa.VARCHAR(length=64), nullable=True)
        batch_op.create_index(batch_op.f('ix_mutation_case_request_id'), ['request_id'], unique=False)
    op.create_index(
        'uq_mutation_case_open_nip', 'mutation_case', ['nip'], unique=True,
        sqlite_where=OPEN_CASE, postgresql_where=OPEN_CASE,
    )


def downgrade() -> None:
    op.drop_index('uq_mutation_case_open_nip', table_name='mutation_case')
    with op.batch_alter_table('mutation_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mutation_case_request_id'))
        batch_op.alter_column('cycle_id', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.drop_column('request_id')
    op.create_index(
        'uq_mutation_case_open_nip', 'mutation_case', ['nip'], unique=True,
        sqlite_where=OPEN_CASE, postgresql_where=OPEN_CASE,
    )
    op.drop_table('request_document')
    op.drop_table('transfer_request')
