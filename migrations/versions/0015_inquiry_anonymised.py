"""An inquiry reduced by retention to a coded stub (``anonymised``): an
anonymous question whose thread ``portal purge`` deleted, or the inquiry of
an anonymised case. Its messages, receipt digest and free text are gone and
its moments reduced to the month; the flag keeps a rule from taking it twice.

Revision ID: 0015
Revises: 0011 (the integrator re-chains; 0011 is the head this branch was built on)
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("anonymised", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("anonymised")
