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
from portal.models.course import Attendance, Course, CourseSession, Enrollment
from portal.models.hospital import DigestRun, Hospital
from portal.models.inquiry import Author, ContactDetails, Inquiry, InquiryKind, InquiryStatus, Message, Priority
from portal.models.notice import Notice, NoticeKind
from portal.models.survey import SurveyInvitation, SurveyResponse
from portal.models.user import TOTP_REQUIRED, Association, Role, User

__all__ = [
    "Activity", "ActivityCancellation", "ActivityPhoto", "ActivityStatus", "ActivityUsage", "CaseActivityReferral",
    "EVALUATION_FIELDS", "TOTP_REQUIRED", "Association", "Attendance", "AuditEvent", "Author",
    "Base", "Case", "CaseNote", "ContactAttempt", "ContactDetails", "Course", "CourseSession", "DigestRun",
    "Enrollment", "Hospital", "Inquiry", "InquiryKind", "InquiryStatus", "Message", "Notice", "NoticeKind",
    "Priority", "Role", "SurveyInvitation", "SurveyResponse", "User",
]
