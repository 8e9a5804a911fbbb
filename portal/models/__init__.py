"""All models, imported once so metadata is complete."""

from portal.models.activity import (
    Activity,
    ActivityCancellation,
    ActivityPhoto,
    ActivityStatus,
    ActivityUsage,
    CaseActivityReferral,
)
from portal.models.base import Base
from portal.models.case import EVALUATION_FIELDS, AuditEvent, Case, CaseNote, ContactAttempt
from portal.models.hospital import DigestRun, Hospital
from portal.models.inquiry import Author, ContactDetails, Inquiry, InquiryKind, InquiryStatus, Message, Priority
from portal.models.survey import SurveyInvitation, SurveyResponse
from portal.models.user import TOTP_REQUIRED, Association, Role, User

__all__ = [
    "Activity", "ActivityCancellation", "ActivityPhoto", "ActivityStatus", "ActivityUsage", "CaseActivityReferral",
    "EVALUATION_FIELDS", "TOTP_REQUIRED", "Association", "AuditEvent", "Author",
    "Base", "Case", "CaseNote", "ContactAttempt", "ContactDetails", "DigestRun", "Hospital", "Inquiry",
    "InquiryKind", "InquiryStatus", "Message", "Priority", "Role", "SurveyInvitation", "SurveyResponse", "User",
]
