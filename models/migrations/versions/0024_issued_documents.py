"""decrees frozen at issue: issued documents (stored bytes, snapshot, verification record),
the agency's decree templates by version and its decree profile, and the extract's number
beside the decree's in position history

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 20:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'issued_document',
        sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('snapshot_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('pdf_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('draft_dated', sa.Date(), nullable=True),
        sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('record_signature', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column(
            'verification_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
        ),
        sa.PrimaryKeyConstraint('number'),
    )
    op.create_index(
        op.f('ix_issued_document_agency_code'), 'issued_document', ['agency_code'], unique=False
    )
    op.create_table(
        'document_template',
        sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('agency_code', 'name', 'version'),
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('decree_profile', sa.JSON(), server_default='{}', nullable=False)
        )
    with op.batch_alter_table('decree', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
    with op.batch_alter_table('committee_sitting', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('minutes_template', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True)
        )
    with op.batch_alter_table('position_history', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('extract_number', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('committee_sitting', schema=None) as batch_op:
        batch_op.drop_column('minutes_template')
    with op.batch_alter_table('decree', schema=None) as batch_op:
        batch_op.drop_column('revoked_by')
    with op.batch_alter_table('position_history', schema=None) as batch_op:
        batch_op.drop_column('extract_number')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('decree_profile')
    op.drop_table('document_template')
    op.drop_index(op.f('ix_issued_document_agency_code'), table_name='issued_document')
    op.drop_table('issued_document')
