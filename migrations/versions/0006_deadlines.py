"""Deadlines: each inquiry's promised first-response time (``due_at``) and
an index for the queue ordered by it; the log of the counsellors' notices
(``portal notify``). One feature, one revision.

Inquiries that arrived before this revision get the due time their promise
gave them, computed once here with the working-day calendar of the settings
in force (the promises as they stood: 3 working days for a question or
sparring, 2 for a call-back or referral, by the same setting names).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
OPEN = sa.text("status IN ('new', 'claimed', 'in_progress')")
ANSWERED_IN_WRITING = ("anonymous_question", "sparring")


def _backfill() -> None:
    """due_at for the inquiries already there (a pure calendar, no models)."""
    from portal.config import Config
    from portal.services.workdays import Calendar

    settings = Config.from_env()
    calendar = Calendar.from_settings(settings)
    answer, contact = int(settings["ANSWER_WORKING_DAYS"]), int(settings["CONTACT_RESPONSE_WORKING_DAYS"])
    urgent = min(int(settings["URGENT_RESPONSE_WORKING_DAYS"]), contact)
    inquiries = sa.table("inquiries", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                         sa.column("priority", sa.Integer), sa.column("created_at", TS), sa.column("due_at", TS))
    bind = op.get_bind()
    for ident, kind, priority, created in bind.execute(
            sa.select(inquiries.c.id, inquiries.c.kind, inquiries.c.priority, inquiries.c.created_at)).all():
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        days = answer if kind in ANSWERED_IN_WRITING else (urgent if priority == 0 else contact)
        bind.execute(sa.update(inquiries).where(inquiries.c.id == ident)
                     .values(due_at=calendar.due(created, days)))


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("due_at", TS, nullable=True))
    _backfill()
    with op.batch_alter_table("inquiries") as batch:
        batch.alter_column("due_at", existing_type=TS, nullable=False)
    op.create_index("ix_inquiries_open_due", "inquiries", ["due_at", "id"], postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("up_to_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("inquiries", sa.Integer(), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("kind", "day", name=op.f("uq_notices_kind")),
    )


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_index("ix_inquiries_open_due", table_name="inquiries")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("due_at")
