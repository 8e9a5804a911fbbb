"""Evaluation: cases imported from the old CRM keep its id; satisfaction
survey invitations and anonymous responses; an index for the statistics'
period filter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("external_id", sa.String(64), nullable=True))
        batch.create_unique_constraint(op.f("uq_cases_external_id"), ["external_id"])
    op.create_index("ix_cases_opened_on", "cases", ["opened_on", "hospital_id"])
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("reusable", sa.Boolean(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], ondelete="SET NULL",
                                name=op.f("fk_survey_invitations_hospital_id_hospitals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_survey_invitations_token_digest")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("free_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], ondelete="SET NULL",
                                name=op.f("fk_survey_responses_hospital_id_hospitals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index(op.f("ix_survey_responses_month"), "survey_responses", ["month"])


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_responses_month"), table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("survey_invitations")
    op.drop_index("ix_cases_opened_on", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint(op.f("uq_cases_external_id"), type_="unique")
        batch.drop_column("external_id")
