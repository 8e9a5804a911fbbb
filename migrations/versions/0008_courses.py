"""Spor 2: courses and partner offers with capacity, their dated sessions,
the families proposed and admitted (waiting order), and attendance.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(16), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("place_kind", sa.String(16), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("facilitators", sa.String(300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("max_nights", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], name=op.f("fk_courses_hospital_id_hospitals")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_courses_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    op.create_table(
        "course_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=True),
        sa.Column("ends_at", sa.String(5), nullable=True),
        sa.Column("attendance_taken", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], ondelete="CASCADE",
                                name=op.f("fk_course_sessions_course_id_courses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_sessions")),
    )
    op.create_index(op.f("ix_course_sessions_course_id"), "course_sessions", ["course_id"])
    op.create_table(
        "enrollments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", TS, nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("waitlist_number", sa.Integer(), nullable=True),
        sa.Column("auto_admitted_at", TS, nullable=True),
        sa.Column("missed_flag_at", TS, nullable=True),
        sa.Column("arrives_on", sa.Date(), nullable=True),
        sa.Column("leaves_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], ondelete="CASCADE",
                                name=op.f("fk_enrollments_course_id_courses")),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE",
                                name=op.f("fk_enrollments_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="SET NULL",
                                name=op.f("fk_enrollments_case_id_cases")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["users.id"], name=op.f("fk_enrollments_proposed_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_enrollments_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
        sa.UniqueConstraint("course_id", "inquiry_id", name=op.f("uq_enrollments_course_id")),
    )
    op.create_index(op.f("ix_enrollments_inquiry_id"), "enrollments", ["inquiry_id"])
    op.create_index("ix_enrollments_course_status", "enrollments", ["course_id", "status", "waitlist_number"])
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["enrollment_id"], ["enrollments.id"], ondelete="CASCADE",
                                name=op.f("fk_attendance_enrollment_id_enrollments")),
        sa.ForeignKeyConstraint(["session_id"], ["course_sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_attendance_session_id_course_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("enrollment_id", "session_id", name=op.f("uq_attendance_enrollment_id")),
    )
    op.create_index(op.f("ix_attendance_session_id"), "attendance", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_session_id"), table_name="attendance")
    op.drop_table("attendance")
    op.drop_index("ix_enrollments_course_status", table_name="enrollments")
    op.drop_index(op.f("ix_enrollments_inquiry_id"), table_name="enrollments")
    op.drop_table("enrollments")
    op.drop_index(op.f("ix_course_sessions_course_id"), table_name="course_sessions")
    op.drop_table("course_sessions")
    op.drop_table("courses")
