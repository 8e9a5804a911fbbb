"""Retention (``portal purge``): the counts per kind on the one audit event
a purge run writes (``audit_events.details``, counts only, never content);
when a case or a course was anonymised (``anonymised_on``: a rule never
touches it twice); and an anonymised inquiry's first response kept in
coded form (``response_hours`` in working hours, ``response_kept`` whether
it came within the promise), because its timestamps are reduced to the
month and the response-time figures must not change.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    with op.batch_alter_table("courses") as batch:
        batch.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("response_hours", sa.Float(), nullable=True))
        batch.add_column(sa.Column("response_kept", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("response_kept")
        batch.drop_column("response_hours")
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("anonymised_on")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("anonymised_on")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("details")
