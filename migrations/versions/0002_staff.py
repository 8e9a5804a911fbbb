"""Staff accounts, associations, cases, notes, contact attempts, audit trail;
inquiries get an assignee, closure and attempt counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "associations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_associations")),
        sa.UniqueConstraint("code", name=op.f("uq_associations_code")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("association_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("totp_confirmed", sa.Boolean(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("setup_token_digest", sa.String(64), nullable=True),
        sa.Column("setup_expires_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], name=op.f("fk_users_hospital_id_hospitals")),
        sa.ForeignKeyConstraint(["association_id"], ["associations.id"],
                                name=op.f("fk_users_association_id_associations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("setup_token_digest", name=op.f("uq_users_setup_token_digest")),
    )
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("assigned_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", TS, nullable=True))
        batch.add_column(sa.Column("closure_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("closed_at", TS, nullable=True))
        batch.add_column(sa.Column("attempt_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_attempt_at", TS, nullable=True))
        batch.create_foreign_key(op.f("fk_inquiries_assigned_to_id_users"), "users", ["assigned_to_id"], ["id"])
        batch.create_index("ix_inquiries_assigned_created", ["assigned_to_id", "created_at", "id"])
    with op.batch_alter_table("inquiries") as batch:
        batch.alter_column("attempt_count", server_default=None)
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("staff_user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_messages_staff_user_id_users"), "users", ["staff_user_id"], ["id"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("heard_from", sa.String(32), nullable=True),
        sa.Column("gender", sa.String(16), nullable=True),
        sa.Column("age_band", sa.String(16), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("pregnant_at_start", sa.Boolean(), nullable=True),
        sa.Column("children_0_3", sa.Integer(), nullable=True),
        sa.Column("children_4_6", sa.Integer(), nullable=True),
        sa.Column("children_7_12", sa.Integer(), nullable=True),
        sa.Column("children_13_18", sa.Integer(), nullable=True),
        sa.Column("children_unknown", sa.Integer(), nullable=True),
        sa.Column("civil_status", sa.String(32), nullable=True),
        sa.Column("employment", sa.String(32), nullable=True),
        sa.Column("income_source", sa.String(32), nullable=True),
        sa.Column("education", sa.String(32), nullable=True),
        sa.Column("contact_reasons", sa.JSON(), nullable=True),
        sa.Column("onward_referrals", sa.JSON(), nullable=True),
        sa.Column("closure_reason", sa.String(32), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="SET NULL",
                                name=op.f("fk_cases_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["counsellor_id"], ["users.id"], name=op.f("fk_cases_counsellor_id_users")),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], name=op.f("fk_cases_hospital_id_hospitals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("inquiry_id", name=op.f("uq_cases_inquiry_id")),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_case_notes_case_id_cases")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_case_notes_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index(op.f("ix_case_notes_case_id"), "case_notes", ["case_id"])
    op.create_table(
        "contact_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("attempted_at", TS, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE",
                                name=op.f("fk_contact_attempts_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_contact_attempts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempts")),
    )
    op.create_index(op.f("ix_contact_attempts_inquiry_id"), "contact_attempts", ["inquiry_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_events_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id", "id"])
    op.create_index("ix_audit_events_user", "audit_events", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_user", table_name="audit_events")
    op.drop_index("ix_audit_events_object", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_contact_attempts_inquiry_id"), table_name="contact_attempts")
    op.drop_table("contact_attempts")
    op.drop_index(op.f("ix_case_notes_case_id"), table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_table("cases")
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("fk_messages_staff_user_id_users"), type_="foreignkey")
        batch.drop_column("staff_user_id")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index("ix_inquiries_assigned_created")
        batch.drop_constraint(op.f("fk_inquiries_assigned_to_id_users"), type_="foreignkey")
        batch.drop_column("last_attempt_at")
        batch.drop_column("attempt_count")
        batch.drop_column("closed_at")
        batch.drop_column("closure_reason")
        batch.drop_column("claimed_at")
        batch.drop_column("assigned_to_id")
    op.drop_table("users")
    op.drop_table("associations")
